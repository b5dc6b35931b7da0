package dev.payrail.admin;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slows down password guessing: after {@code attempts} failed logins for one e-mail, or four times as many from
 * one address (an office behind one NAT holds several operators), within {@code window} of the first failure,
 * further logins for it are refused without checking the password until the window ends. Counts are per node
 * (Caffeine caches that expire after the window); with N admin nodes behind a balancer an attacker gets at most
 * N times the attempts, still a handful per quarter hour.
 */
final class LoginThrottle {

    private record Window(Instant started, AtomicInteger failures) {}

    private final int attempts;
    private final Duration window;
    private final Clock clock;
    private final Cache<String, Window> byEmail;
    private final Cache<String, Window> byAddress;

    LoginThrottle(int attempts, Duration window, Clock clock) {
        this.attempts = attempts;
        this.window = window;
        this.clock = clock;
        this.byEmail = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(100_000).build();
        this.byAddress = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(100_000).build();
    }

    /** How long the caller must wait before trying again, when it must. */
    Optional<Duration> refusal(String email, String address) {
        Instant now = clock.instant();
        return worst(wait(byEmail.getIfPresent(key(email)), attempts, now),
                wait(byAddress.getIfPresent(address), attempts * 4, now));
    }

    void failed(String email, String address) {
        Instant now = clock.instant();
        byEmail.asMap().computeIfAbsent(key(email), k -> new Window(now, new AtomicInteger())).failures().incrementAndGet();
        byAddress.asMap().computeIfAbsent(address, k -> new Window(now, new AtomicInteger())).failures().incrementAndGet();
    }

    private Optional<Duration> wait(Window seen, int limit, Instant now) {
        if (seen == null || seen.failures().get() < limit) {
            return Optional.empty();
        }
        Duration left = Duration.between(now, seen.started().plus(window));
        return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
    }

    private static Optional<Duration> worst(Optional<Duration> a, Optional<Duration> b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isEmpty() || a.get().compareTo(b.get()) >= 0 ? a : b;
    }

    private static String key(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }
}
