package dev.payrail.webhook;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When the next attempt is due: {@code delays.get(n)} after the n-th failed attempt, plus up to 10 % jitter so
 * that deliveries which failed together (an endpoint's outage) do not all come back in the same instant. After
 * as many failed attempts as the schedule has entries, there is none: the delivery is dead.
 */
record RetrySchedule(List<Duration> delays) {

    /** The pause before the next attempt after {@code failedAttempts} failures, or empty when the schedule is done. */
    Optional<Duration> after(int failedAttempts, Optional<Duration> retryAfter) {
        if (failedAttempts >= delays.size()) {
            return Optional.empty();
        }
        Duration delay = delays.get(failedAttempts);
        long jitterMillis = delay.toMillis() / 10;
        if (jitterMillis > 0) {
            delay = delay.plusMillis(ThreadLocalRandom.current().nextLong(jitterMillis + 1));
        }
        if (retryAfter.isPresent() && retryAfter.get().compareTo(delay) > 0) {
            delay = retryAfter.get();
        }
        return Optional.of(delay);
    }

    int attemptsMax() {
        return delays.size();
    }
}
