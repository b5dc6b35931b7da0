package dev.payrail.embedded;

import org.springframework.boot.SpringBootExceptionReporter;
import org.springframework.core.Ordered;

/**
 * Tells Spring Boot that a {@link StartupRefusedException} needs no report of its own, because {@code main}
 * prints its one line: without this, Boot logs "Application run failed" and the stack trace first. Any other
 * failure is left to Boot's usual report, stack trace and all.
 */
public final class StartupRefusalReporter implements SpringBootExceptionReporter, Ordered {

    @Override
    public boolean reportException(Throwable failure) {
        return StartupRefusedException.in(failure).isPresent();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE; // before Boot's failure analyzers, which would print a banner
    }
}
