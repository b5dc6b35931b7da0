package dev.payrail.outbox;

import dev.payrail.platform.BatchInsert;
import dev.payrail.platform.Ids;
import dev.payrail.platform.PayrailProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one way to write an event: append it to the transactional outbox inside the caller's own transaction,
 * so the state change and its event commit together or not at all (the relay publishes them afterwards).
 * Nobody else writes {@code insert into outbox}.
 *
 * <ul>
 *   <li>{@link #append(DomainEvent)} / {@link #appendAll(List)}: inside a Spring-managed transaction
 *       ({@code TransactionTemplate} or {@code @Transactional}); they use its connection.</li>
 *   <li>{@link #entry(DomainEvent)} + {@link #rows()}: for a caller that writes many aggregates in one
 *       statement (the intake's group commit), which puts {@link #rows()} into its statement as a CTE.</li>
 * </ul>
 */
@Component
public class Outbox {

    private static final BatchInsert<OutboxEntry> ROWS = BatchInsert.ofRecord("outbox", OutboxEntry.class);

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final String topic;

    Outbox(DataSource dataSource, JsonMapper json, Clock clock, PayrailProperties properties) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.json = json;
        this.clock = clock;
        // Every event today belongs to a payment (refunds included), so one topic keyed by payment id keeps a
        // payment's events in order.
        this.topic = properties.topics().payments();
    }

    /** Builds the row for an event that happened now: a new event id, the envelope serialized once. */
    public OutboxEntry entry(DomainEvent event) {
        return entry(event, clock.instant());
    }

    /** Builds the row for an event that happened at {@code occurredAt} (the state change's own time). */
    public OutboxEntry entry(DomainEvent event, Instant occurredAt) {
        var envelope = new EventEnvelope(Ids.next(), event.eventType(), event.eventVersion(), event.aggregateId(),
                occurredAt, event);
        return new OutboxEntry(envelope.eventId(), envelope.eventType(), envelope.aggregateId(), topic,
                json.writeValueAsString(envelope), occurredAt);
    }

    /** Appends one event in the current transaction; returns its row (with the event id). */
    public OutboxEntry append(DomainEvent event) {
        OutboxEntry entry = entry(event);
        appendEntries(List.of(entry));
        return entry;
    }

    /** Appends several events in the current transaction, in order. */
    public List<OutboxEntry> appendAll(List<? extends DomainEvent> events) {
        List<OutboxEntry> entries = events.stream().map(this::entry).toList();
        appendEntries(entries);
        return entries;
    }

    private void appendEntries(List<OutboxEntry> entries) {
        // An event written in a transaction of its own could outlive a rolled-back change: refuse that.
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("Outbox.append runs inside the caller's transaction; none is active");
        }
        // JdbcTemplate uses the transaction's own connection and translates SQL errors.
        jdbc.execute((ConnectionCallback<Integer>) connection -> ROWS.insert(connection, entries));
    }

    /** The outbox insert for a caller composing its own statement (alias {@code r}, columns as the table's). */
    public static BatchInsert<OutboxEntry> rows() {
        return ROWS;
    }
}
