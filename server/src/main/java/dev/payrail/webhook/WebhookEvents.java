package dev.payrail.webhook;

import dev.payrail.platform.BatchInsert;
import dev.payrail.platform.BatchInsert.Type;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Merchant-facing events (the events API) and the deliveries derived from them. */
@Repository
public class WebhookEvents {

    static final java.time.Duration ENDPOINT_CLOCK_MARGIN = java.time.Duration.ofMinutes(5);

    private static final BatchInsert<Event> EVENTS = BatchInsert.<Event>into("webhook_events")
            .column("event_id", Type.UUID, Event::eventId)
            .column("merchant_id", Type.UUID, Event::merchantId)
            .column("event_type", Type.TEXT, Event::type)
            .column("object_id", Type.UUID, Event::objectId)
            .column("created_at", Type.TIMESTAMP, Event::createdAt)
            .column("data", Type.TEXT, Event::data)
            .build();

    /** The events, then a delivery per subscribed endpoint of each event actually inserted (see {@link #record}). */
    private static final String RECORD = "with inserted as ("
            + " insert into webhook_events (event_id, merchant_id, event_type, object_id, created_at, data)"
            + " select r.event_id, r.merchant_id, r.event_type, r.object_id, r.created_at, r.data::jsonb from "
            + EVENTS.rows()
            + " on conflict (event_id) do nothing returning event_id, merchant_id, event_type, created_at)"
            + " insert into webhook_deliveries (delivery_id, event_id, event_type, endpoint_id, status, attempts,"
            + " next_attempt_at, created_at, updated_at)"
            + " select gen_random_uuid(), ev.event_id, ev.event_type, e.endpoint_id, 'pending', 0, ?, ?, ?"
            + " from inserted ev join webhook_endpoints e on e.merchant_id = ev.merchant_id"
            + " where e.created_at <= ev.created_at + make_interval(secs => ?)"
            + " and (case when cardinality(e.event_types) = 0 then ev.event_type <> 'payment.created'"
            + " else ev.event_type = any (e.event_types) end)"
            + " on conflict (event_id, endpoint_id) do nothing";

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final Clock clock;

    WebhookEvents(JdbcClient jdbc, DataSource dataSource, Clock clock) {
        this.jdbc = jdbc;
        this.batch = new JdbcTemplate(dataSource);
        this.clock = clock;
    }

    /** One merchant-facing event; {@code data} is the JSON snapshot of the object. */
    public record Event(UUID eventId, UUID merchantId, String type, UUID objectId, Instant createdAt, String data) {}

    /**
     * Stores the event and, the first time only, one pending delivery per endpoint of the merchant that
     * subscribes to its type, due now. A disabled endpoint gets its delivery too; it waits until the endpoint is
     * enabled again, so no outcome is lost while an endpoint is off. An endpoint gets no event from before it
     * existed (give or take {@link #ENDPOINT_CLOCK_MARGIN} of clock skew between nodes): a new endpoint, or a first
     * start of the webhooks role on a topic that holds days of events, does not flood a merchant with history. A
     * replayed event (Kafka delivers at least once) changes nothing. Runs in the caller's transaction. Returns the
     * number of deliveries created.
     */
    int record(Event event) {
        return recordAll(List.of(event));
    }

    /**
     * {@link #record} for many events as ONE statement (a poll of the topic): the events go in through
     * {@code unnest}, and the deliveries are derived from the ones actually inserted ({@code returning}), so a
     * replayed event still gets none. One round trip for a poll instead of two per event.
     */
    int recordAll(List<Event> events) {
        if (events.isEmpty()) {
            return 0;
        }
        // One row per event id: a poll can hold a record twice (the relay publishes at least once).
        List<Event> unique = List.copyOf(events.stream()
                .collect(Collectors.toMap(Event::eventId, e -> e, (first, again) -> first, LinkedHashMap::new))
                .values());
        Timestamp now = Timestamp.from(clock.instant());
        // JdbcTemplate uses the transaction's own connection and translates SQL errors.
        Integer created = batch.execute((ConnectionCallback<Integer>) connection -> {
            try (PreparedStatement statement = connection.prepareStatement(RECORD)) {
                int next = EVENTS.bind(statement, 1, unique);
                statement.setTimestamp(next++, now);
                statement.setTimestamp(next++, now);
                statement.setTimestamp(next++, now);
                statement.setLong(next, ENDPOINT_CLOCK_MARGIN.toSeconds());
                return statement.executeUpdate();
            }
        });
        return created == null ? 0 : created;
    }

    public Optional<Event> find(UUID merchantId, UUID eventId) {
        return jdbc.sql("select * from webhook_events where merchant_id = ? and event_id = ?")
                .params(merchantId, eventId).query(WebhookEvents::event).optional();
    }

    /**
     * A page of the merchant's events, newest first, after the cursor event ({@code startingAfter}) if given,
     * filtered by type and by time ({@code createdFrom} inclusive, {@code createdTo} exclusive).
     */
    public List<Event> page(UUID merchantId, @Nullable Event startingAfter, @Nullable String type,
                            @Nullable Instant createdFrom, @Nullable Instant createdTo, int limit) {
        return jdbc.sql("""
                select * from webhook_events
                where merchant_id = :merchant
                  and (cast(:type as text) is null or event_type = :type)
                  and (cast(:from as timestamptz) is null or created_at >= :from)
                  and (cast(:to as timestamptz) is null or created_at < :to)
                  and (cast(:afterAt as timestamptz) is null or (created_at, event_id) < (cast(:afterAt as timestamptz), cast(:afterId as uuid)))
                order by created_at desc, event_id desc
                limit :limit""")
                .param("merchant", merchantId)
                .param("type", type)
                .param("from", createdFrom == null ? null : Timestamp.from(createdFrom))
                .param("to", createdTo == null ? null : Timestamp.from(createdTo))
                .param("afterAt", startingAfter == null ? null : Timestamp.from(startingAfter.createdAt()))
                .param("afterId", startingAfter == null ? null : startingAfter.eventId())
                .param("limit", limit)
                .query(WebhookEvents::event).list();
    }

    /** The events of one object (a payment), newest first. */
    List<Event> ofObject(UUID objectId) {
        return jdbc.sql("select * from webhook_events where object_id = ? order by created_at desc, event_id desc")
                .param(objectId).query(WebhookEvents::event).list();
    }

    private static Event event(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Event(rs.getObject("event_id", UUID.class), rs.getObject("merchant_id", UUID.class),
                rs.getString("event_type"), rs.getObject("object_id", UUID.class),
                rs.getTimestamp("created_at").toInstant(), rs.getString("data"));
    }
}
