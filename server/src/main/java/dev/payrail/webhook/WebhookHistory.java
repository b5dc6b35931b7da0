package dev.payrail.webhook;

import dev.payrail.platform.CustomPlans;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

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

    /** What needs an operator first: dead deliveries, then failing ones, then the rest (rank 0, 1, 2). */
    private static final String DEAD = "d.status = 'dead'";
    private static final String FAILING = "d.status = 'pending' and d.attempts > 0";
    private static final String NOT_TRIED = "d.status = 'pending' and d.attempts = 0";
    private static final String DELIVERED = "d.status = 'delivered'";

    /** Which rows of each rank (dead, failing, the rest) a status filter keeps; null: none of that rank. */
    private static List<@Nullable String> ranks(@Nullable String status) {
        if (status == null) {
            return Arrays.asList(DEAD, FAILING, "(" + DELIVERED + " or " + NOT_TRIED + ")");
        }
        return switch (status) {
            case "dead" -> Arrays.asList(DEAD, null, null);
            case "failing" -> Arrays.asList(null, FAILING, null);
            case "pending" -> Arrays.asList(null, FAILING, NOT_TRIED);
            case "delivered" -> Arrays.asList(null, null, DELIVERED);
            default -> Arrays.asList(null, null, null);
        };
    }

    /**
     * Deliveries of every merchant, what needs an operator first: dead ones, then failing ones (pending after a
     * failed attempt), then the rest; newest first within each. {@code status} may also be {@code failing}. Each
     * with its latest attempt (one index probe per row of the page).
     *
     * <p>At a million deliveries one ordering over all of them would sort the whole table on every page. So each
     * rank is read on its own, newest first from an index ({@code webhook_deliveries_dead}, the pending index,
     * {@code webhook_deliveries_created}, or {@code webhook_deliveries_type_created} for one event type), no further
     * than the page's end, and only the page's rows are joined to their event, endpoint and latest attempt. A
     * merchant filter becomes its endpoints' ids, which the planner can weigh against the endpoint index.
     */
    @Transactional(readOnly = true)
    public List<ListedDelivery> deliveries(DeliveryFilter filter) {
        CustomPlans.forThisTransaction(jdbc);
        List<UUID> endpoints = new ArrayList<>();
        if (filter.merchantId() != null) {
            endpoints.addAll(jdbc.sql("select endpoint_id from webhook_endpoints where merchant_id = ?")
                    .param(filter.merchantId()).query(UUID.class).list());
            if (filter.endpointId() != null) {
                endpoints.retainAll(List.of(filter.endpointId()));
            }
            if (endpoints.isEmpty()) {
                return List.of();
            }
        } else if (filter.endpointId() != null) {
            endpoints.add(filter.endpointId());
        }
        List<@Nullable String> ranks = ranks(filter.status());
        List<String> parts = new ArrayList<>();
        for (int rank = 0; rank < ranks.size(); rank++) {
            if (ranks.get(rank) == null) {
                continue;
            }
            parts.add("(select d.delivery_id, d.created_at, " + rank + " as rank from webhook_deliveries d"
                    + " where " + ranks.get(rank)
                    + (endpoints.isEmpty() ? "" : " and d.endpoint_id = any(:endpoints)")
                    + (filter.eventType() == null ? "" : " and d.event_type = :type")
                    + " order by d.created_at desc, d.delivery_id desc limit :window)");
        }
        if (parts.isEmpty()) {
            return List.of();
        }
        var sql = jdbc.sql("with page as (select * from (" + String.join(" union all ", parts) + ") p"
                        + " order by rank, created_at desc, delivery_id desc limit :limit offset :offset)"
                        + " select " + DELIVERY_COLUMNS + """
                , la.started_at as last_started_at, la.status_code as last_status_code,
                       la.latency_ms as last_latency_ms, la.error as last_error, la.response_excerpt as last_excerpt
                 from page
                join webhook_deliveries d on d.delivery_id = page.delivery_id
                join webhook_events ev on ev.event_id = d.event_id
                join webhook_endpoints e on e.endpoint_id = d.endpoint_id
                left join lateral (select a.started_at, a.status_code, a.latency_ms, a.error, a.response_excerpt
                                     from webhook_attempts a where a.delivery_id = d.delivery_id
                                    order by a.started_at desc, a.attempt_id desc limit 1) la on true
                order by page.rank, page.created_at desc, page.delivery_id desc""")
                .param("window", filter.offset() > Long.MAX_VALUE - filter.limit() ? Long.MAX_VALUE
                        : filter.limit() + filter.offset())
                .param("limit", filter.limit())
                .param("offset", filter.offset());
        if (!endpoints.isEmpty()) {
            sql = sql.param("endpoints", endpoints.toArray(UUID[]::new));
        }
        if (filter.eventType() != null) {
            sql = sql.param("type", filter.eventType());
        }
        return sql.query((rs, n) -> new ListedDelivery(delivery(rs, List.of()),
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
    @Transactional(readOnly = true)
    public List<WebhookEvents.Event> events(EventFilter filter) {
        CustomPlans.forThisTransaction(jdbc);
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
