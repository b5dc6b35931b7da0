package dev.payrail.embedded;

import java.util.Optional;

/** Start-up cannot go on for a reason the operator can fix; its message is one line meant for a terminal. */
public final class StartupRefusedException extends RuntimeException {

    public StartupRefusedException(String message) {
        super(message, null, false, false);
    }

    /** The refusal somewhere in {@code failure}'s causes: Spring wraps what a bean or a listener throws. */
    public static Optional<StartupRefusedException> in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StartupRefusedException refused) {
                return Optional.of(refused);
            }
        }
        return Optional.empty();
    }
}
