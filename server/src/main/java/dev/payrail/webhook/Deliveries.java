package dev.payrail.webhook;

import dev.payrail.platform.BatchInsert;
import dev.payrail.platform.BatchInsert.Type;
import dev.payrail.platform.GroupCommit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Webhook deliveries and their attempts. A sender claims due deliveries with {@code FOR UPDATE SKIP LOCKED}, so
 * any number of nodes can send without sending one delivery twice at once; the claim moves the delivery's due
 * time to the end of a lease and marks it with a lease id. If the sender dies mid-send, the delivery simply
 * becomes due again when the lease ends; a sender that finishes records its outcome only while it still holds
 * the lease.
 */
@Repository
@RequiredArgsConstructor
class Deliveries {

    private final JdbcClient jdbc;
    private final Clock clock;

    /** A claimed delivery with what it takes to send it; reserved for its claimer until {@code leaseEnd}. */
    record Claimed(UUID deliveryId, UUID leaseId, Instant leaseEnd, UUID eventId, UUID endpointId, UUID merchantId,
                   String url, String type, Instant eventCreatedAt, String data, int attempts,
                   Instant endpointUpdatedAt) {}

    /**
     * Claims up to {@code limit} due deliveries, at most {@code perEndpoint} of them to any one endpoint, to enabled
     * endpoints not in {@code excluded}, until {@code leaseEnd}. The oldest due first; the per-endpoint share is
     * taken among the {@code limit} oldest due, ranked without locks, then locked with {@code SKIP LOCKED} (rows
     * another sender holds are passed over, not waited for).
     */
    List<Claimed> claim(int limit, int perEndpoint, Instant leaseEnd, Collection<UUID> excluded) {
        Timestamp now = Timestamp.from(clock.instant());
        // One statement, and every step after the ranking reaches rows by primary key (= any(array(...))): a join
        // or a "where lease_id = ?" here lets the planner scan the whole table, whose size is every delivery
        // ever made (measured: 5-7 ms a claim on a 100,000-row table, most of the sender's database time).
        return jdbc.sql("""
                with oldest as (
                    select d.delivery_id,
                           row_number() over (partition by d.endpoint_id order by d.next_attempt_at) as nth
                    from (select d.delivery_id, d.endpoint_id, d.next_attempt_at from webhook_deliveries d
                          join webhook_endpoints e on e.endpoint_id = d.endpoint_id
                          where d.status = 'pending' and d.next_attempt_at <= ? and e.enabled
                            and e.secret_enc is not null and not (d.endpoint_id = any (?))
                          order by d.next_attempt_at
                          limit ?) d),
                due as (
                    select d.delivery_id from webhook_deliveries d
                    where d.delivery_id = any (array(select delivery_id from oldest where nth <= ?))
                      and d.status = 'pending' and d.next_attempt_at <= ?
                    for update of d skip locked),
                claimed as (
                    update webhook_deliveries d set next_attempt_at = ?, lease_id = ?, updated_at = ?
                    where d.delivery_id = any (array(select delivery_id from due))
                    returning d.delivery_id, d.lease_id, d.next_attempt_at, d.event_id, d.endpoint_id, d.attempts,
                              d.created_at)
                select c.delivery_id, c.lease_id, c.next_attempt_at, c.event_id, c.endpoint_id, ev.merchant_id, e.url,
                       ev.event_type, ev.created_at, ev.data, c.attempts, e.updated_at
                from claimed c
                join webhook_events ev on ev.event_id = c.event_id
                join webhook_endpoints e on e.endpoint_id = c.endpoint_id
                order by c.created_at""")
                .params(now, excluded.toArray(UUID[]::new), limit, perEndpoint, now, Timestamp.from(leaseEnd),
                        UUID.randomUUID(), now)
                .query((rs, n) -> new Claimed(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getTimestamp(3).toInstant(), rs.getObject(4, UUID.class), rs.getObject(5, UUID.class),
                        rs.getObject(6, UUID.class), rs.getString(7), rs.getString(8), rs.getTimestamp(9).toInstant(),
                        rs.getString(10), rs.getInt(11), rs.getTimestamp(12).toInstant()))
                .list();
    }

    /** Gives claimed deliveries back unsent (this sender is stopping): due again at once, for any sender. */
    void release(List<Claimed> unsent) {
        if (unsent.isEmpty()) {
            return;
        }
        jdbc.sql("""
                update webhook_deliveries d set next_attempt_at = ?, lease_id = null
                from unnest(?::uuid[], ?::uuid[]) as r(delivery_id, lease_id)
                where d.delivery_id = r.delivery_id and d.lease_id = r.lease_id""")
                .params(Timestamp.from(clock.instant()), unsent.stream().map(Claimed::deliveryId).toArray(UUID[]::new),
                        unsent.stream().map(Claimed::leaseId).toArray(UUID[]::new))
                .update();
    }

    void recordAttempt(UUID deliveryId, Instant startedAt, @Nullable Integer statusCode, int latencyMs,
                       @Nullable String error, @Nullable String excerpt) {
        jdbc.sql("""
                insert into webhook_attempts (attempt_id, delivery_id, started_at, status_code, latency_ms, error,
                                              response_excerpt)
                values (?, ?, ?, ?, ?, ?, ?)""")
                .params(UUID.randomUUID(), deliveryId, Timestamp.from(startedAt), statusCode, latencyMs, error, excerpt)
                .update();
    }

    /** Ends the claim as delivered or dead; false when the lease was lost (another sender took over). */
    boolean finish(Claimed delivery, String status) {
        return jdbc.sql("""
                update webhook_deliveries set status = ?, attempts = attempts + 1, lease_id = null, updated_at = ?
                where delivery_id = ? and lease_id = ?""")
                .params(status, Timestamp.from(clock.instant()), delivery.deliveryId(), delivery.leaseId())
                .update() > 0;
    }

    /**
     * A 2xx answer to record: its attempt, and the delivery finished as delivered while this claim's lease holds.
     * {@code finished} completes after the commit: false when the lease was lost (another sender took over).
     */
    record Success(Claimed delivery, UUID attemptId, Instant startedAt, int statusCode, int latencyMs,
                   @Nullable String excerpt, Instant finishedAt, CompletableFuture<Boolean> finished) {
        UUID deliveryId() {
            return delivery.deliveryId();
        }

        AttemptRow attempt() {
            return new AttemptRow(attemptId, deliveryId(), startedAt, statusCode, latencyMs, excerpt);
        }
    }

    /** A successful attempt as {@code webhook_attempts} keeps it: the record's components are its columns. */
    record AttemptRow(UUID attemptId, UUID deliveryId, Instant startedAt, int statusCode, int latencyMs,
                      @Nullable String responseExcerpt) {}

    /** A delivery under one lease: a delivery claimed again after its lease ended is another claim. */
    record Claim(UUID deliveryId, UUID leaseId) {
        static Claim of(Claimed delivery) {
            return new Claim(delivery.deliveryId(), delivery.leaseId());
        }
    }

    private static final BatchInsert<AttemptRow> SUCCESS_ATTEMPTS = BatchInsert.ofRecord("webhook_attempts",
            AttemptRow.class);

    private static final BatchInsert<Success> FINISHED = BatchInsert.<Success>into("webhook_deliveries")
            .column("delivery_id", Type.UUID, Success::deliveryId)
            .column("lease_id", Type.UUID, s -> s.delivery().leaseId())
            .column("updated_at", Type.TIMESTAMP, Success::finishedAt)
            .build();

    /** Many successes as ONE statement: every attempt kept, each delivery finished only under its own lease. */
    private static final String RECORD_SUCCESSES = "with attempts as (" + SUCCESS_ATTEMPTS.sql()
            + "), finished as (update webhook_deliveries d set status = 'delivered', attempts = d.attempts + 1,"
            + " lease_id = null, updated_at = r.updated_at from " + FINISHED.rows()
            + " where d.delivery_id = r.delivery_id and d.lease_id = r.lease_id returning d.delivery_id, r.lease_id"
            + ") select delivery_id, lease_id from finished";

    /**
     * Records 2xx answers of many deliveries on this connection (the caller's transaction), as
     * {@link #recordAttempt} and {@link #finish} do one by one; returns the claims finished.
     */
    static Set<Claim> recordSuccesses(Connection connection, List<Success> successes) throws SQLException {
        Set<Claim> finished = new HashSet<>();
        // Planned once per connection, not per call: the rows are reached by primary key whatever their number.
        GroupCommit.onGenericPlans(connection);
        try (PreparedStatement ps = connection.prepareStatement(RECORD_SUCCESSES)) {
            int next = SUCCESS_ATTEMPTS.bind(ps, 1, successes.stream().map(Success::attempt).toList());
            FINISHED.bind(ps, next, successes);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    finished.add(new Claim(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)));
                }
            }
        }
        return finished;
    }

    /** Ends the claim with a failed attempt; the next is due at {@code next}. */
    boolean retryAt(Claimed delivery, Instant next) {
        return jdbc.sql("""
                update webhook_deliveries set attempts = attempts + 1, next_attempt_at = ?, lease_id = null, updated_at = ?
                where delivery_id = ? and lease_id = ?""")
                .params(Timestamp.from(next), Timestamp.from(clock.instant()), delivery.deliveryId(), delivery.leaseId())
                .update() > 0;
    }

    /** Whether the endpoint answered 2xx to anything since this delivery's first attempt. */
    boolean endpointSucceededSinceFirstAttemptOf(UUID endpointId, UUID deliveryId) {
        return jdbc.sql("""
                select exists(
                    select 1 from webhook_attempts a join webhook_deliveries d on d.delivery_id = a.delivery_id
                    where d.endpoint_id = ? and a.status_code between 200 and 299
                      and a.started_at >= (select min(started_at) from webhook_attempts where delivery_id = ?))""")
                .params(endpointId, deliveryId).query(Boolean.class).single();
    }

    /** Sends a delivery again from the start of the schedule; the endpoint is the merchant's. */
    boolean redeliver(UUID deliveryId) {
        return jdbc.sql("""
                update webhook_deliveries set status = 'pending', attempts = 0, next_attempt_at = ?, lease_id = null,
                       updated_at = ?
                where delivery_id = ? and status <> 'pending'""")
                .params(Timestamp.from(clock.instant()), Timestamp.from(clock.instant()), deliveryId).update() > 0;
    }

    /** Sends every dead delivery of an endpoint again; returns how many. */
    int redeliverDead(UUID endpointId) {
        Timestamp now = Timestamp.from(clock.instant());
        return jdbc.sql("""
                update webhook_deliveries set status = 'pending', attempts = 0, next_attempt_at = ?, lease_id = null,
                       updated_at = ?
                where endpoint_id = ? and status = 'dead'""")
                .params(now, now, endpointId).update();
    }

    /**
     * Queues an event again for every enabled endpoint of its merchant that subscribes to it: existing deliveries
     * become due now, endpoints without one get one.
     */
    int resend(UUID eventId) {
        Timestamp now = Timestamp.from(clock.instant());
        return jdbc.sql("""
                insert into webhook_deliveries (delivery_id, event_id, event_type, endpoint_id, status, attempts,
                                                next_attempt_at, created_at, updated_at)
                select gen_random_uuid(), ev.event_id, ev.event_type, e.endpoint_id, 'pending', 0, ?, ?, ?
                from webhook_events ev join webhook_endpoints e on e.merchant_id = ev.merchant_id
                where ev.event_id = ? and e.enabled
                  and (case when cardinality(e.event_types) = 0 then ev.event_type <> 'payment.created'
                            else ev.event_type = any (e.event_types) end)
                on conflict (event_id, endpoint_id) do update
                    set status = 'pending', attempts = 0, next_attempt_at = excluded.next_attempt_at,
                        lease_id = null, updated_at = excluded.updated_at""")
                .params(now, now, now, eventId).update();
    }

    /** A delivery as the admin API shows it. */
    record View(UUID deliveryId, UUID eventId, UUID endpointId, String eventType, String status, int attempts,
                Instant nextAttemptAt, Instant createdAt, Instant updatedAt) {}

    List<View> ofEndpoint(UUID endpointId, @Nullable String status, int limit) {
        return jdbc.sql("""
                select d.delivery_id, d.event_id, d.endpoint_id, ev.event_type, d.status, d.attempts,
                       d.next_attempt_at, d.created_at, d.updated_at
                from webhook_deliveries d join webhook_events ev on ev.event_id = d.event_id
                where d.endpoint_id = ? and (cast(? as text) is null or d.status = ?)
                order by d.created_at desc, d.delivery_id desc limit ?""")
                .params(endpointId, status, status, limit)
                .query((rs, n) -> new View(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getObject(3, UUID.class), rs.getString(4), rs.getString(5), rs.getInt(6),
                        rs.getTimestamp(7).toInstant(), rs.getTimestamp(8).toInstant(), rs.getTimestamp(9).toInstant()))
                .list();
    }

    /** The endpoint a delivery goes to, for checks of ownership. */
    java.util.Optional<UUID> endpointOf(UUID deliveryId) {
        return jdbc.sql("select endpoint_id from webhook_deliveries where delivery_id = ?")
                .param(deliveryId).query(UUID.class).optional();
    }
}
