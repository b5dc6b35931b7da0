package dev.payrail.merchant;

import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import dev.payrail.platform.Worker;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import lombok.RequiredArgsConstructor;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/**
 * Keeps API keys' {@code last_used_at} without a write per request: a request notes its key in memory at most
 * once a minute per key ({@link #NOTE_INTERVAL}), and a background worker writes what was noted in one batched
 * update every {@code PAYRAIL_API_KEYS_LAST_USED_FLUSH}. The value may lag by that much, and a node that crashes
 * loses at most one interval of notes; neither matters for "when was this key last used".
 */
@Component
@ConditionalOnRole(Role.API)
@RequiredArgsConstructor
class ApiKeyUsage {

    static final Duration NOTE_INTERVAL = Duration.ofMinutes(1);

    private final Merchants merchants;
    private final Clock clock;
    /** Key → when this node last noted it (epoch ms); bounded by the number of keys in use. */
    private final Map<UUID, Long> lastNotedMillis = new ConcurrentHashMap<>();
    /** Key → latest use not yet written. */
    private final Map<UUID, Instant> unwritten = new ConcurrentHashMap<>();

    /** On the request path: a map read, and a map write at most once a minute per key. */
    void used(UUID apiKeyId) {
        long now = clock.millis();
        Long last = lastNotedMillis.get(apiKeyId);
        if (last != null && now - last < NOTE_INTERVAL.toMillis()) {
            return;
        }
        lastNotedMillis.put(apiKeyId, now);
        unwritten.merge(apiKeyId, Instant.ofEpochMilli(now), (a, b) -> a.isAfter(b) ? a : b);
    }

    /** Writes the noted uses; those that fail to be written are kept for the next flush. */
    void flush() {
        if (unwritten.isEmpty()) {
            return;
        }
        Map<UUID, Instant> batch = new HashMap<>();
        for (UUID key : unwritten.keySet()) {
            Instant at = unwritten.remove(key);
            if (at != null) {
                batch.put(key, at);
            }
        }
        try {
            merchants.recordLastUse(batch);
        } catch (RuntimeException e) {
            batch.forEach((key, at) -> unwritten.merge(key, at, (a, b) -> a.isAfter(b) ? a : b));
            throw e;
        }
    }

    @Bean
    Worker apiKeyUsageWorker(PayrailProperties properties, MeterRegistry meters) {
        return Worker.named("api-key-usage", meters)
                .idle(properties.apiKeys().lastUsedFlush())
                .afterStop(this::flushQuietly)
                .step(() -> {
                    flush();
                    return Worker.Outcome.IDLE;
                });
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            // Stopping: the uses of the last interval are lost, which only makes last_used_at a little older.
        }
    }
}
