package dev.payrail.payment;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Recent payment activity for the operators' overview: payments per minute by status, and each acquirer's
 * attempts, approvals and latency, over a window that ends now.
 *
 * <p>Both reads are bounded by the window, never by the size of the table: payment ids are UUIDv7, so "created
 * since T" is also "id at or above the smallest id of T", a range of the primary key (or, for one merchant, of
 * {@code payments_merchant_newest}); {@code payment_attempts} has no index on its time but its primary key starts
 * with the payment id, so the same id bound limits it. The {@code created_at} condition keeps the figures exact
 * whatever the index used. {@code OverviewStatsIT} checks the plans with EXPLAIN.
 */
@Repository
@RequiredArgsConstructor
public class PaymentActivity {

    private final JdbcClient jdbc;

    /** How many payments of a status were created in one minute (the minute's start). */
    public record MinuteCount(Instant minute, PaymentStatus status, long count) {}

    /**
     * One acquirer's authorization attempts for payments created in the window: {@code approved} counts approvals
     * (a later void included: the acquirer did approve), {@code declined} its declines; the rest were unanswered
     * ({@code unknown}, {@code pending}) or are still on their way. Latencies in whole milliseconds (the attempts
     * record whole milliseconds), null when no attempt has one yet.
     */
    public record AcquirerActivity(String acquirer, long attempts, long approved, long declined,
                                   @Nullable Long latencyP50Ms, @Nullable Long latencyP99Ms) {}

    /** Payments created at or after {@code since}, by minute and status, oldest minute first. */
    public List<MinuteCount> perMinute(Instant since, @Nullable UUID merchantId) {
        return jdbc.sql(perMinuteSql(merchantId != null))
                .params(params(since, merchantId))
                .query((rs, n) -> new MinuteCount(rs.getTimestamp("minute").toInstant(),
                        PaymentStatus.fromWire(rs.getString("status")), rs.getLong("n")))
                .list();
    }

    /** Attempts of payments created at or after {@code since}, per acquirer, by name. */
    public List<AcquirerActivity> byAcquirer(Instant since, @Nullable UUID merchantId) {
        return jdbc.sql(byAcquirerSql(merchantId != null))
                .params(params(since, merchantId))
                .query((rs, n) -> new AcquirerActivity(rs.getString("acquirer"), rs.getLong("attempts"),
                        rs.getLong("approved"), rs.getLong("declined"), (Long) rs.getObject("p50"),
                        (Long) rs.getObject("p99")))
                .list();
    }

    static String perMinuteSql(boolean oneMerchant) {
        return "select date_trunc('minute', created_at) as minute, status, count(*) as n from payments"
                + " where payment_id >= :fromId and created_at >= :since"
                + (oneMerchant ? " and merchant_id = :merchant" : "")
                + " group by 1, 2 order by 1, 2";
    }

    static String byAcquirerSql(boolean oneMerchant) {
        return """
                select a.acquirer, count(*) as attempts,
                       count(*) filter (where a.outcome in ('approved', 'voided')) as approved,
                       count(*) filter (where a.outcome = 'declined') as declined,
                       cast(round(percentile_cont(0.5) within group (order by a.latency_ms)) as bigint) as p50,
                       cast(round(percentile_cont(0.99) within group (order by a.latency_ms)) as bigint) as p99
                from payment_attempts a"""
                + (oneMerchant ? " join payments p on p.payment_id = a.payment_id"
                        + " and p.merchant_id = :merchant and p.payment_id >= :fromId" : "")
                + " where a.payment_id >= :fromId and a.created_at >= :since"
                + " group by a.acquirer order by a.acquirer";
    }

    static Map<String, Object> params(Instant since, @Nullable UUID merchantId) {
        var params = new HashMap<String, Object>();
        params.put("fromId", smallestIdAt(since));
        params.put("since", Timestamp.from(since));
        if (merchantId != null) {
            params.put("merchant", merchantId);
        }
        return params;
    }

    /**
     * The smallest UUIDv7 of the millisecond {@code at}: its 48-bit Unix milliseconds, version 7, every random bit
     * zero (and the RFC 9562 variant). PostgreSQL compares uuids byte by byte, so every id made at or after
     * {@code at} is at or above it.
     */
    static UUID smallestIdAt(Instant at) {
        long millis = Math.max(0, at.toEpochMilli());
        return new UUID((millis << 16) | 0x7000L, 0x8000_0000_0000_0000L);
    }
}
