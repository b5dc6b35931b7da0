package dev.payrail.platform;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A backlog's two gauges, as each of Payrail's queues reports itself (the outbox, payments in processing, webhook
 * deliveries): how many wait, and how long the oldest of them has waited, in seconds (0 when none wait) — the one
 * to alert on. The job that measures the backlog sets them.
 */
public final class BacklogGauges {

    private final AtomicLong waiting = new AtomicLong();
    private final AtomicLong oldestMillis = new AtomicLong();

    /** Registers the gauges {@code waitingName} (a count) and {@code ageName} (seconds). */
    public BacklogGauges(MeterRegistry meters, String waitingName, String waitingDescription, String ageName,
                         String ageDescription) {
        Gauge.builder(waitingName, waiting, AtomicLong::get).description(waitingDescription).register(meters);
        Gauge.builder(ageName, oldestMillis, millis -> millis.get() / 1000.0).description(ageDescription)
                .baseUnit("seconds").register(meters);
    }

    /** {@code count} wait, the oldest since {@code oldest} (null: none), as seen at {@code now}. */
    public void set(long count, @Nullable Instant oldest, Instant now) {
        waiting.set(count);
        oldestMillis.set(oldest == null ? 0 : Math.max(0, Duration.between(oldest, now).toMillis()));
    }

    /**
     * Counts the rows of {@code rows} (a table and its condition, e.g. {@code "outbox where published_at is null"})
     * and finds the oldest {@code created_at} among them, in one query.
     */
    public void measure(JdbcClient jdbc, String rows, Instant now) {
        jdbc.sql("select count(*), min(created_at) from " + rows).query(rs -> {
            Timestamp oldest = rs.getTimestamp(2);
            set(rs.getLong(1), oldest == null ? null : oldest.toInstant(), now);
        });
    }
}
