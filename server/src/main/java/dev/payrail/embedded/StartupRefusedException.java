package dev.payrail.embedded;

/** Start-up cannot go on for a reason the operator can fix; its message is one line meant for a terminal. */
public final class StartupRefusedException extends RuntimeException {

    public StartupRefusedException(String message) {
        super(message, null, false, false);
    }
}
