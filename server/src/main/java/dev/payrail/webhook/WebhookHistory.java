package dev.payrail.webhook;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * What the operators' console reads about webhooks across all merchants: the deliveries (problems first), the
 * events, and one payment's deliveries with every attempt (for its timeline). Reads only.
 */
@Repository
@RequiredArgsConstructor
public class WebhookHistory {

    private final JdbcClient jdbc;

    /** One try to deliver: when, the answer's status code (null: no answer), how long, and the error if any. */
    public record Attempt(Instant startedAt, @Nullable Integer statusCode, int latencyMs, @Nullable String error) {}

    /** An attempt as the console's webhook page shows it: with the first bytes of the endpoint's answer. */
    public record AttemptDetail(Instant startedAt, @Nullable Integer statusCode, int latencyMs, @Nullable String error,
                                @Nullable String responseExcerpt) {}

    /** A delivery in the console's list, with its latest attempt (null before the first). */
    public record ListedDelivery(Delivery delivery, @Nullable AttemptDetail lastAttempt) {}

    /**
     * A delivery of an event to an endpoint. {@code failing}: still pending after at least one failed attempt.
     * {@code attempts} is filled only where asked for ({@link #deliveriesOfObject}).
     */
    public record Delivery(UUID deliveryId, UUID eventId, String eventType, UUID merchantId, UUID endpointId,
                           String url, String status, int attemptsInRound, Instant nextAttemptAt, Instant createdAt,
                           Instant updatedAt, List<Attempt> attempts) {

        public boolean failing() {
            return "pending".equals(status) && attemptsInRound > 0;
        }
    }

    /** Filters of {@link #deliveries}; null matches anything. */
    public record DeliveryFilter(@Nullable String status, @Nullable UUID merchantId, @Nullable UUID endpointId,
                                 @Nullable String eventType, int limit, long offset) {}

    private static final String DELIVERY_COLUMNS = """
            d.delivery_id, d.event_id, ev.event_type, ev.merchant_id, d.endpoint_id, e.url, d.status, d.attempts,
            d.next_attempt_at, d.created_at, d.updated_at""";

    /**
     * Deliveries of every merchant, what needs an operator first: dead ones, then failing ones (pending after a
     * failed attempt), then the rest; newest first within each. {@code status} may also be {@code failing}. Each
     * with its latest attempt (one index probe per row of the page).
     */
    public List<ListedDelivery> deliveries(DeliveryFilter filter) {
        return jdbc.sql("select " + DELIVERY_COLUMNS + """
                , la.started_at as last_started_at, la.status_code as last_status_code,
                       la.latency_ms as last_latency_ms, la.error as last_error, la.response_excerpt as last_excerpt
                 from webhook_deliveries d
                join webhook_events ev on ev.event_id = d.event_id
                join webhook_endpoints e on e.endpoint_id = d.endpoint_id
                left join lateral (select a.started_at, a.status_code, a.latency_ms, a.error, a.response_excerpt
                                     from webhook_attempts a where a.delivery_id = d.delivery_id
                                    order by a.started_at desc, a.attempt_id desc limit 1) la on true
                where (cast(:status as text) is null
                       or (:status = 'failing' and d.status = 'pending' and d.attempts > 0)
                       or d.status = :status)
                  and (cast(:merchant as uuid) is null or ev.merchant_id = :merchant)
                  and (cast(:endpoint as uuid) is null or d.endpoint_id = :endpoint)
                  and (cast(:type as text) is null or ev.event_type = :type)
                order by case when d.status = 'dead' then 0
                              when d.status = 'pending' and d.attempts > 0 then 1
                              else 2 end,
                         d.created_at desc, d.delivery_id desc
                limit :limit offset :offset""")
                .param("status", filter.status())
                .param("merchant", filter.merchantId())
                .param("endpoint", filter.endpointId())
                .param("type", filter.eventType())
                .param("limit", filter.limit())
                .param("offset", filter.offset())
                .query((rs, n) -> new ListedDelivery(delivery(rs, List.of()),
                        rs.getTimestamp("last_started_at") == null ? null : new AttemptDetail(
                                rs.getTimestamp("last_started_at").toInstant(), statusCode(rs, "last_status_code"),
                                rs.getInt("last_latency_ms"), rs.getString("last_error"), rs.getString("last_excerpt"))))
                .list();
    }

    /** A delivery with every attempt of every round (a redelivery starts a new round), oldest first. */
    public record DeliveryDetail(Delivery delivery, List<AttemptDetail> attempts) {}

    /** One delivery and all its attempts; empty when there is no such delivery. */
    public Optional<DeliveryDetail> delivery(UUID deliveryId) {
        return jdbc.sql("select " + DELIVERY_COLUMNS + """
                 from webhook_deliveries d
                join webhook_events ev on ev.event_id = d.event_id
                join webhook_endpoints e on e.endpoint_id = d.endpoint_id
                where d.delivery_id = ?""")
                .param(deliveryId).query((rs, n) -> delivery(rs, List.of())).optional()
                .map(found -> new DeliveryDetail(found, jdbc.sql("""
                        select started_at, status_code, latency_ms, error, response_excerpt from webhook_attempts
                        where delivery_id = ? order by started_at, attempt_id""")
                        .param(deliveryId)
                        .query((rs, n) -> new AttemptDetail(rs.getTimestamp("started_at").toInstant(),
                                statusCode(rs, "status_code"), rs.getInt("latency_ms"), rs.getString("error"),
                                rs.getString("response_excerpt")))
                        .list()));
    }

    private static @Nullable Integer statusCode(ResultSet rs, String column) throws SQLException {
        int code = rs.getInt(column);
        return rs.wasNull() ? null : code;
    }

    /** Every delivery of the events about one object (a payment), oldest first, each with all its attempts. */
    public List<Delivery> deliveriesOfObject(UUID objectId) {
        List<Delivery> found = jdbc.sql("select " + DELIVERY_COLUMNS + """
                 from webhook_deliveries d
                join webhook_events ev on ev.event_id = d.event_id
                join webhook_endpoints e on e.endpoint_id = d.endpoint_id
                where ev.object_id = ?
                order by d.created_at, d.delivery_id""")
                .param(objectId).query((rs, n) -> delivery(rs, new ArrayList<>())).list();
        if (found.isEmpty()) {
            return found;
        }
        Map<UUID, Delivery> byId = new LinkedHashMap<>();
        found.forEach(d -> byId.put(d.deliveryId(), d));
        jdbc.sql("""
                select delivery_id, started_at, status_code, latency_ms, error from webhook_attempts
                where delivery_id = any (?) order by started_at, attempt_id""")
                .param(byId.keySet().toArray(UUID[]::new))
                .query((rs, n) -> {
                    int code = rs.getInt("status_code");
                    byId.get(rs.getObject("delivery_id", UUID.class)).attempts().add(new Attempt(
                            rs.getTimestamp("started_at").toInstant(), rs.wasNull() ? null : code,
                            rs.getInt("latency_ms"), rs.getString("error")));
                    return n;
                })
                .list();
        return found;
    }

    /** Filters of {@link #events}; null matches anything; {@code from} inclusive, {@code to} exclusive. */
    public record EventFilter(@Nullable String type, @Nullable UUID merchantId, @Nullable Instant from,
                              @Nullable Instant to, @Nullable UUID startingAfter, int limit) {}

    /**
     * Events of every merchant, newest first, in keyset pages: pass the last event id seen as
     * {@code startingAfter} (empty when that event does not exist).
     */
    public List<WebhookEvents.Event> events(EventFilter filter) {
        return jdbc.sql("""
                select * from webhook_events
                where (cast(:type as text) is null or event_type = :type)
                  and (cast(:merchant as uuid) is null or merchant_id = :merchant)
                  and (cast(:from as timestamptz) is null or created_at >= :from)
                  and (cast(:to as timestamptz) is null or created_at < :to)
                  and (cast(:after as uuid) is null or (created_at, event_id) <
                       (select created_at, event_id from webhook_events where event_id = :after))
                order by created_at desc, event_id desc
                limit :limit""")
                .param("type", filter.type())
                .param("merchant", filter.merchantId())
                .param("from", filter.from() == null ? null : Timestamp.from(filter.from()))
                .param("to", filter.to() == null ? null : Timestamp.from(filter.to()))
                .param("after", filter.startingAfter())
                .param("limit", filter.limit())
                .query((rs, n) -> new WebhookEvents.Event(rs.getObject("event_id", UUID.class),
                        rs.getObject("merchant_id", UUID.class), rs.getString("event_type"),
                        rs.getObject("object_id", UUID.class), rs.getTimestamp("created_at").toInstant(),
                        rs.getString("data")))
                .list();
    }

    private static Delivery delivery(ResultSet rs, List<Attempt> attempts) throws SQLException {
        return new Delivery(rs.getObject("delivery_id", UUID.class), rs.getObject("event_id", UUID.class),
                rs.getString("event_type"), rs.getObject("merchant_id", UUID.class),
                rs.getObject("endpoint_id", UUID.class), rs.getString("url"), rs.getString("status"),
                rs.getInt("attempts"), rs.getTimestamp("next_attempt_at").toInstant(),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(), attempts);
    }
}
