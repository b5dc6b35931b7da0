package dev.payrail.outbox;

import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import dev.payrail.platform.Worker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import lombok.RequiredArgsConstructor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
class OutboxMaintenance {

    private static final Logger log = LoggerFactory.getLogger(OutboxMaintenance.class);
    private static final int CHUNK_ROWS = 5_000;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final PayrailProperties properties;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong lagMillis = new AtomicLong();

    @Bean
    Worker outboxLagWorker(MeterRegistry meters) {
        Gauge.builder("payrail.outbox.pending", pending, AtomicLong::get)
                .description("outbox events not yet published to Kafka").register(meters);
        Gauge.builder("payrail.outbox.lag.seconds", lagMillis, v -> v.get() / 1000.0)
                .description("age of the oldest unpublished outbox event").register(meters);
        return Worker.every(properties.outbox().metrics(), "outbox-lag", meters, this::measureLag);
    }

    @Bean
    Worker outboxCleanupWorker(MeterRegistry meters) {
        return Worker.every(properties.outbox().cleanup(), "outbox-cleanup", meters, this::removeOldPublished);
    }

    void measureLag() {
        jdbc.sql("""
                select count(*), coalesce(extract(epoch from ? - min(created_at)) * 1000, 0)::bigint
                from outbox where published_at is null""")
                .param(Timestamp.from(clock.instant()))
                .query(rs -> {
                    pending.set(rs.getLong(1));
                    lagMillis.set(Math.max(0, rs.getLong(2)));
                });
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
