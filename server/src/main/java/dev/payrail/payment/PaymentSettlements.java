package dev.payrail.payment;

import dev.payrail.outbox.Outbox;
import dev.payrail.outbox.OutboxEntry;
import dev.payrail.platform.BatchInsert;
import dev.payrail.platform.BatchInsert.Type;
import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.GroupCommit;
import dev.payrail.platform.Role;
import dev.payrail.platform.Worker;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.IntConsumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/**
 * Processing's group commits, as the intake's {@link PaymentWriter} writes new payments: the record of an attempt
 * before its call ({@link #startAttempt}), and the moves that settle a payment — the compare-and-set on its status
 * ({@code processing} → approved, declined or failed), the attempt that decided it, and its event. Each
 * processing thread hands in its write and waits; writer threads write what is queued, many payments in ONE
 * statement and one transaction, and answer after the commit is durable whether the write took effect for this
 * payment (false: it had moved on — another worker, an operator). A payment appears at most once per statement;
 * a second write for it (two workers on one payment) goes in the transaction after, and sees the first.
 *
 * <p>The same rules as {@link PaymentLifecycle}'s single moves, which stay the way for everything else (an
 * operator's change by hand): only a payment still {@code processing} moves or gets an attempt; its event
 * is appended only when it moved; an approval's attempt is marked approved only when the approval moved the
 * payment (otherwise the caller voids it), a hard decline's attempt is marked declined either way; a decided
 * attempt is never overwritten. Per payment this saves two transactions of its own (four statements, two commits
 * and their WAL flushes).
 */
@Component
@ConditionalOnRole(Role.PROCESSING)
public class PaymentSettlements {

    /** Writer threads: one gathers the next batch while the other waits for its commit. */
    private static final int THREADS = 2;
    /** Payments per transaction at most. */
    private static final int BATCH_MAX = 256;
    /**
     * Writes waiting at most: one per payment in flight ({@code PAYRAIL_PROCESSING_IN_FLIGHT_MAX}, at most 10,000)
     * plus the janitor's; beyond it a write is refused and its payment retried.
     */
    private static final int QUEUE_MAX = 10_000;

    /** What became of the attempt that decided the payment, written with the move. */
    public record DecidingAttempt(int attemptNo, PaymentAttempt.Outcome outcome, @Nullable String declineCode,
                                  @Nullable String declineKind, @Nullable String acquirerReference,
                                  @Nullable Integer latencyMs) {}

    /** One payment's move, its event, and the future its processing thread waits on. */
    record Move(UUID paymentId, PaymentStatus to, @Nullable String acquirer, @Nullable String declineCode,
                Instant at, OutboxEntry event, @Nullable DecidingAttempt attempt, boolean attemptOnlyIfMoved,
                CompletableFuture<Boolean> moved) {}

    /** One attempt to record before its call, and the future its processing thread waits on. */
    record Start(UUID paymentId, int attemptNo, String acquirer, String reference, Instant at,
                 CompletableFuture<Boolean> started) {}

    /**
     * A write (attempt or settlement) could not be made: the database refused it or was away, or the writer is full
     * or stopping. The payment is as it was; the consumer retries it, the janitor takes it up otherwise.
     */
    public static final class SettlementFailedException extends RuntimeException {
        SettlementFailedException(String message, @Nullable Throwable cause) {
            super(message, cause);
        }
    }

    private static final BatchInsert<Move> MOVES = BatchInsert.<Move>into("payments")
            .column("payment_id", Type.UUID, Move::paymentId)
            .column("status", Type.TEXT, m -> m.to().wireName())
            .column("acquirer", Type.TEXT, Move::acquirer)
            .column("decline_code", Type.TEXT, Move::declineCode)
            .column("updated_at", Type.TIMESTAMP, Move::at)
            .build();

    private static final BatchInsert<Move> ATTEMPTS = BatchInsert.<Move>into("payment_attempts")
            .column("payment_id", Type.UUID, Move::paymentId)
            .column("attempt_no", Type.INT4, m -> attempt(m).attemptNo())
            .column("outcome", Type.TEXT, m -> attempt(m).outcome().wireName())
            .column("decline_code", Type.TEXT, m -> attempt(m).declineCode())
            .column("decline_kind", Type.TEXT, m -> attempt(m).declineKind())
            .column("acquirer_reference", Type.TEXT, m -> attempt(m).acquirerReference())
            .column("latency_ms", Type.INT4, m -> attempt(m).latencyMs())
            .column("resolved_at", Type.TIMESTAMP, Move::at)
            .column("only_if_moved", Type.BOOL, Move::attemptOnlyIfMoved)
            .build();

    /**
     * The batch as ONE statement: the compare-and-set of every payment, then the deciding attempts (an approval's
     * only where its payment moved), then the events of the payments that moved. PostgreSQL runs each
     * data-modifying CTE exactly once, all on one snapshot, and later ones read earlier ones' RETURNING rows.
     */
    private static final String SETTLE_BATCH = "with moved as ("
            + "update payments p set status = r.status, acquirer = r.acquirer, decline_code = r.decline_code,"
            + " updated_at = r.updated_at, version = p.version + 1 from " + MOVES.rows()
            + " where p.payment_id = r.payment_id and p.status = 'processing' returning p.payment_id"
            + "), resolved as ("
            + "update payment_attempts a set outcome = r.outcome, decline_code = r.decline_code,"
            + " decline_kind = r.decline_kind, acquirer_reference = coalesce(r.acquirer_reference, a.acquirer_reference),"
            + " latency_ms = coalesce(r.latency_ms, a.latency_ms), resolved_at = r.resolved_at from " + ATTEMPTS.rows()
            + " where a.payment_id = r.payment_id and a.attempt_no = r.attempt_no"
            + " and a.outcome in ('sent', 'unknown', 'pending')"
            + " and (not r.only_if_moved or r.payment_id in (select payment_id from moved))"
            + "), events as ("
            + Outbox.rows().sql("r.aggregate_id in (select payment_id from moved)", "")
            + ") select payment_id from moved";

    private static final BatchInsert<Start> STARTS = BatchInsert.<Start>into("payment_attempts")
            .column("payment_id", Type.UUID, Start::paymentId)
            .column("attempt_no", Type.INT4, Start::attemptNo)
            .column("acquirer", Type.TEXT, Start::acquirer)
            .column("reference", Type.TEXT, Start::reference)
            .column("outcome", Type.TEXT, start -> "sent")
            .column("created_at", Type.TIMESTAMP, Start::at)
            .build();

    /**
     * Attempts for many payments, each only while its payment is processing: the payment's row is read
     * {@code for share}, so a settlement of it at this moment is waited for and seen; an attempt number or acquirer
     * already taken for the payment (unique in {@code payment_attempts}) inserts nothing.
     */
    private static final String START_BATCH = STARTS.sql("exists (select 1 from payments p where p.payment_id ="
            + " r.payment_id and p.status = 'processing' for share of p)", "on conflict do nothing returning payment_id");

    private final DataSource dataSource;
    private final Outbox outbox;
    private final Clock clock;
    private final DistributionSummary batchSizes;
    private final GroupCommit<Move> commit;
    private final GroupCommit<Start> starts;

    PaymentSettlements(DataSource dataSource, Outbox outbox, Clock clock, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.outbox = outbox;
        this.clock = clock;
        this.batchSizes = DistributionSummary.builder("payrail.settlement.batch.size")
                .description("payment settlements committed per group-commit transaction")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
        this.commit = new GroupCommit<>("settlement-writer", THREADS, QUEUE_MAX, BATCH_MAX, meters, Move::moved,
                () -> new SettlementFailedException("the settlement writer is full or stopping", null), this::write);
        meters.gauge("payrail.settlement.queue.depth", commit, GroupCommit::queued);
        this.starts = new GroupCommit<>("attempt-writer", THREADS, QUEUE_MAX, BATCH_MAX, meters, Start::started,
                () -> new SettlementFailedException("the attempt writer is full or stopping", null),
                this::writeStarts);
    }

    /** Started before processing's consumer (phase 0) and stopped after it, so every handed-in move is written. */
    @Bean
    Worker paymentSettlementsWorker() {
        return commit.worker();
    }

    @Bean
    Worker attemptStartsWorker() {
        return starts.worker();
    }

    /**
     * Records that attempt {@code attemptNo} is about to be sent to {@code acquirer}, durably, before the call; false
     * when the payment is not processing any more, or another worker already holds that attempt number or has tried
     * that acquirer — then this one must not call it. A crash during the call leaves this trace to inquire about.
     */
    public boolean startAttempt(UUID paymentId, int attemptNo, String acquirer, String reference) {
        var start = new Start(paymentId, attemptNo, acquirer, reference, clock.instant(), new CompletableFuture<>());
        starts.submit(start);
        return GroupCommit.await(start.started(), cause -> failed(paymentId, cause));
    }

    /**
     * processing → approved by {@code acquirer} on attempt {@code attemptNo}, which is marked approved with the
     * move. False when the payment was not processing any more (the attempt is then left for the caller to void).
     */
    public boolean approve(Payment payment, String acquirer, String acquirerReference, int attemptNo,
                           @Nullable Integer latencyMs) {
        Instant now = clock.instant();
        var event = new PaymentEvent.PaymentApproved(payment.paymentId(), payment.merchantId(), payment.amount(),
                payment.currency(), acquirer, acquirerReference, now);
        var attempt = new DecidingAttempt(attemptNo, PaymentAttempt.Outcome.APPROVED, null, null, acquirerReference,
                latencyMs);
        return settle(payment.paymentId(), PaymentStatus.APPROVED, acquirer, null, now, event, attempt, true);
    }

    /**
     * processing → declined with {@code code} (by {@code acquirer}, when one declined it), with the attempt that
     * declined it (if any), which is recorded whether or not the payment still moved.
     */
    public boolean decline(Payment payment, @Nullable String acquirer, String code, @Nullable DecidingAttempt attempt) {
        Instant now = clock.instant();
        var event = new PaymentEvent.PaymentDeclined(payment.paymentId(), payment.merchantId(), payment.amount(),
                payment.currency(), acquirer, code, now);
        return settle(payment.paymentId(), PaymentStatus.DECLINED, acquirer, code, now, event, attempt, false);
    }

    /** processing → failed: no acquirer could decide it; no money moved. */
    public boolean fail(Payment payment, String reason) {
        Instant now = clock.instant();
        var event = new PaymentEvent.PaymentFailed(payment.paymentId(), payment.merchantId(), payment.amount(),
                payment.currency(), reason, now);
        return settle(payment.paymentId(), PaymentStatus.FAILED, null, reason, now, event, null, false);
    }

    private boolean settle(UUID paymentId, PaymentStatus to, @Nullable String acquirer, @Nullable String declineCode,
                           Instant at, PaymentEvent event, @Nullable DecidingAttempt attempt, boolean attemptOnlyIfMoved) {
        if (!PaymentStatus.PROCESSING.canMoveTo(to)) {
            throw new IllegalStateException("illegal transition processing -> " + to.wireName());
        }
        var move = new Move(paymentId, to, acquirer, declineCode, at, outbox.entry(event, at), attempt,
                attemptOnlyIfMoved, new CompletableFuture<>());
        commit.submit(move);
        return GroupCommit.await(move.moved(), cause -> failed(paymentId, cause));
    }

    private static SettlementFailedException failed(UUID paymentId, Throwable cause) {
        return new SettlementFailedException("payment " + paymentId + " could not be written: " + cause.getMessage(),
                cause);
    }

    void write(List<Move> batch) {
        write(batch, Move::paymentId, Move::moved, PaymentSettlements::settleBatch, batchSizes::record);
    }

    void writeStarts(List<Start> batch) {
        write(batch, Start::paymentId, Start::started, PaymentSettlements::startBatch, size -> {});
    }

    private <T> void write(List<T> batch, Function<T, UUID> paymentOf, Function<T, CompletableFuture<Boolean>> futureOf,
                           GroupCommit.KeyedStatement<T, UUID> statement, IntConsumer committed) {
        // Keyed by payment: a second write for the same payment (two workers on it) goes in a transaction after
        // the first (GroupCommit.writeEach).
        GroupCommit.writeEach(dataSource, batch, paymentOf, futureOf, statement,
                (item, e) -> failed(paymentOf.apply(item), e), committed);
    }

    static Set<UUID> startBatch(Connection connection, List<Start> batch) throws SQLException {
        GroupCommit.onGenericPlans(connection);
        return paymentIds(connection, START_BATCH, ps -> STARTS.bind(ps, 1, batch));
    }

    static Set<UUID> settleBatch(Connection connection, List<Move> moves) throws SQLException {
        List<Move> withAttempts = moves.stream().filter(m -> m.attempt() != null).toList();
        List<OutboxEntry> events = moves.stream().map(Move::event).toList();
        GroupCommit.onGenericPlans(connection);
        return paymentIds(connection, SETTLE_BATCH, ps -> {
            int next = MOVES.bind(ps, 1, moves);
            next = ATTEMPTS.bind(ps, next, withAttempts);
            Outbox.rows().bind(ps, next, events);
        });
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /** Runs a batch statement whose result is one payment id per row. */
    private static Set<UUID> paymentIds(Connection connection, String sql, Binder binder) throws SQLException {
        Set<UUID> ids = new HashSet<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return ids;
    }

    private static DecidingAttempt attempt(Move move) {
        return Objects.requireNonNull(move.attempt(), "only moves with a deciding attempt are bound as attempts");
    }
}
