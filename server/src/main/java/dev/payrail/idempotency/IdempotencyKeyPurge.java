package dev.payrail.idempotency;

import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import dev.payrail.platform.Worker;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import lombok.RequiredArgsConstructor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Removes idempotency keys past their retention ({@code payrail.idempotency.retention}, 24 h by default), in
 * bounded chunks so a large backlog never holds one long transaction. Harmless when several nodes run it.
 */
@Component
@ConditionalOnRole(Role.API)
@RequiredArgsConstructor
public class IdempotencyKeyPurge {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeyPurge.class);
    private static final int CHUNK_ROWS = 5_000;

    private final JdbcClient jdbc;
    private final Clock clock;

    /** Runs {@link #purgeExpired()} every {@code payrail.idempotency.purge}. */
    @Bean
    Worker idempotencyKeyPurgeWorker(PayrailProperties properties, MeterRegistry meters) {
        return Worker.every(properties.idempotency().purge(), "idempotency-purge", meters, this::purgeExpired);
    }

    public int purgeExpired() {
        Timestamp now = Timestamp.from(clock.instant());
        int total = 0;
        int removed;
        do {
            removed = jdbc.sql("""
                    delete from idempotency_keys where ctid in (
                        select ctid from idempotency_keys where expires_at < ? limit ?)""")
                    .params(now, CHUNK_ROWS).update();
            total += removed;
        } while (removed == CHUNK_ROWS);
        if (total > 0) {
            log.info("purged {} expired idempotency keys", total);
        }
        return total;
    }
}
