package dev.payrail.outbox;

import dev.payrail.platform.BacklogGauges;
import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import dev.payrail.platform.Worker;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import lombok.RequiredArgsConstructor;
import lombok.extern.slf4j.Slf4j;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The relay role's housekeeping: the outbox lag metrics ({@code payrail_outbox_pending}, events not yet on
 * Kafka, and {@code payrail_outbox_lag_seconds}, the age of the oldest of them) and the removal of published
 * events older than {@code PAYRAIL_OUTBOX_RETENTION}, in chunks so a large backlog never holds one long
 * transaction, measured on the injected clock.
 */
@Component
@RequiredArgsConstructor
@ConditionalOnRole(Role.RELAY)
@Slf4j
class OutboxMaintenance {

    private static final int CHUNK_ROWS = 5_000;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final PayrailProperties properties;

    @Bean
    Worker outboxLagWorker(MeterRegistry meters) {
        BacklogGauges lag = new BacklogGauges(meters, "payrail.outbox.pending",
                "outbox events not yet published to Kafka", "payrail.outbox.lag.seconds",
                "age of the oldest unpublished outbox event");
        return Worker.every(properties.outbox().metrics(), "outbox-lag", meters,
                () -> lag.measure(jdbc, "outbox where published_at is null", clock.instant()));
    }

    @Bean
    Worker outboxCleanupWorker(MeterRegistry meters) {
        return Worker.every(properties.outbox().cleanup(), "outbox-cleanup", meters, this::removeOldPublished);
    }

    /** Removes published events older than the retention; returns how many. */
    int removeOldPublished() {
        Duration retention = properties.outbox().retention();
        Timestamp cutoff = Timestamp.from(clock.instant().minus(retention));
        int total = 0;
        int removed;
        do {
            removed = jdbc.sql("""
                    delete from outbox where seq in (
                        select seq from outbox where published_at < ? order by seq limit ?)""")
                    .params(cutoff, CHUNK_ROWS).update();
            total += removed;
        } while (removed == CHUNK_ROWS);
        if (total > 0) {
            log.info("removed {} published outbox events older than {}", total, retention);
        }
        return total;
    }
}
