package dev.payrail.idempotency;

import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.Role;
import java.sql.Timestamp;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Removes idempotency keys past their retention ({@code payrail.idempotency.retention}, 24 h by default), in
 * bounded chunks so a large backlog never holds one long transaction. Harmless when several nodes run it.
 */
@Component
@ConditionalOnRole(Role.API)
public class IdempotencyKeyPurge {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeyPurge.class);
    private static final int CHUNK = 5_000;

    private final JdbcClient jdbc;
    private final Clock clock;

    IdempotencyKeyPurge(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${payrail.idempotency.purge:10m}", initialDelayString = "30s")
    public int purgeExpired() {
        Timestamp now = Timestamp.from(clock.instant());
        int total = 0;
        int removed;
        do {
            removed = jdbc.sql("""
                    delete from idempotency_keys where ctid in (
                        select ctid from idempotency_keys where expires_at < ? limit ?)""")
                    .params(now, CHUNK).update();
            total += removed;
        } while (removed == CHUNK);
        if (total > 0) {
            log.info("purged {} expired idempotency keys", total);
        }
        return total;
    }
}
