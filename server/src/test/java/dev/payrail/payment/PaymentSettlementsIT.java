package dev.payrail.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.payrail.outbox.Outbox;
import dev.payrail.payment.PaymentSettlements.DecidingAttempt;
import dev.payrail.payment.PaymentSettlements.Move;
import dev.payrail.platform.GroupCommit;
import dev.payrail.platform.Ids;
import dev.payrail.support.IntegrationTest;
import dev.payrail.support.PreparedPlans;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Processing's group commit of settlements on its own, fed batches directly, against the real database: one
 * statement moves only what is still {@code processing}, appends events only for what moved, records a deciding
 * attempt by the rules of {@link PaymentLifecycle} and {@link PaymentAttempts#resolve}, and a move the database
 * refuses fails alone.
 */
@IntegrationTest
class PaymentSettlementsIT {

    private static final UUID DEMO_MERCHANT = UUID.fromString("0b85ac22-a90a-4019-b0e7-9d07b672cf34");

    @Autowired
    PaymentSettlements settlements;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Outbox outbox;

    @Autowired
    DataSource dataSource;

    @Test
    void oneBatchMovesOnlyWhatIsStillProcessingAndWritesEventsAndAttemptsByTheLifecycleRules() throws Exception {
        UUID approved = payment("processing");
        UUID hardDeclined = payment("processing");
        UUID failed = payment("processing");
        UUID settledByHand = payment("declined"); // an operator declined it while alpha was approving
        UUID settledThenHardDecline = payment("failed");
        UUID twice = payment("processing"); // the consumer and the janitor both on it
        for (UUID id : List.of(approved, hardDeclined, settledByHand, settledThenHardDecline, twice)) {
            attemptSent(id);
        }

        var approve = approve(approved);
        var decline = hardDecline(hardDeclined);
        var fail = move(failed, PaymentStatus.FAILED, null, "acquirers_unavailable", null, false);
        var lateApproval = approve(settledByHand);
        var lateDecline = hardDecline(settledThenHardDecline);
        var firstOfTwo = approve(twice);
        var secondOfTwo = hardDecline(twice);

        settlements.write(List.of(approve, decline, fail, lateApproval, lateDecline, firstOfTwo, secondOfTwo));

        assertThat(movedOf(approve)).isTrue();
        assertThat(movedOf(decline)).isTrue();
        assertThat(movedOf(fail)).isTrue();
        assertThat(movedOf(lateApproval)).isFalse();
        assertThat(movedOf(lateDecline)).isFalse();
        assertThat(movedOf(firstOfTwo)).isTrue();
        assertThat(movedOf(secondOfTwo)).isFalse();

        assertThat(row(approved)).isEqualTo("approved alpha null");
        assertThat(row(hardDeclined)).isEqualTo("declined gamma card_declined");
        assertThat(row(failed)).isEqualTo("failed null acquirers_unavailable");
        assertThat(row(settledByHand)).isEqualTo("declined null null");
        assertThat(row(settledThenHardDecline)).isEqualTo("failed null null");
        assertThat(row(twice)).isEqualTo("approved alpha null");

        assertThat(attempt(approved)).isEqualTo("approved null auth-" + approved);
        assertThat(attempt(hardDeclined)).isEqualTo("declined hard null");
        // An approval that did not move the payment is left open for the caller to void...
        assertThat(attempt(settledByHand)).isEqualTo("sent null null");
        // ...a hard decline is the acquirer's answer either way.
        assertThat(attempt(settledThenHardDecline)).isEqualTo("declined hard null");
        assertThat(attempt(twice)).isEqualTo("approved null auth-" + twice);

        assertThat(events(approved)).containsExactly("payment.approved");
        assertThat(events(hardDeclined)).containsExactly("payment.declined");
        assertThat(events(failed)).containsExactly("payment.failed");
        assertThat(events(settledByHand)).isEmpty();
        assertThat(events(settledThenHardDecline)).isEmpty();
        assertThat(events(twice)).containsExactly("payment.approved");
    }

    @Test
    void aMoveTheDatabaseRefusesFailsAloneAndItsNeighboursSettle() throws Exception {
        UUID before = payment("processing");
        UUID broken = payment("processing");
        UUID after = payment("processing");
        for (UUID id : List.of(before, broken, after)) {
            attemptSent(id);
        }
        var first = approve(before);
        // decline_kind is 'hard' or 'soft' (V4's check): the database refuses this row, and with it its statement.
        var refused = move(broken, PaymentStatus.DECLINED, "gamma", "card_declined",
                new DecidingAttempt(1, PaymentAttempt.Outcome.DECLINED, "card_declined", "sideways", null, 5), false);
        var last = approve(after);

        settlements.write(List.of(first, refused, last));

        assertThat(movedOf(first)).isTrue();
        assertThat(movedOf(last)).isTrue();
        assertThatThrownBy(() -> refused.moved().get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(PaymentSettlements.SettlementFailedException.class);
        assertThat(row(broken)).isEqualTo("processing null null");
        assertThat(attempt(broken)).isEqualTo("sent null null");
        assertThat(events(broken)).isEmpty();
        assertThat(events(before)).containsExactly("payment.approved");
        assertThat(events(after)).containsExactly("payment.approved");
    }

    @Test
    void theCallerWaitsForTheDurableMoveAndLearnsWhetherItMovedThePayment() {
        UUID id = payment("processing");
        attemptSent(id);
        Payment payment = new Payment(id, DEMO_MERCHANT, 1234, "EUR", PaymentStatus.PROCESSING, "settle-test", null,
                null, null, null, Instant.now(), Instant.now());

        assertThat(settlements.approve(payment, "beta", "auth-" + id, 1, 21)).isTrue();
        assertThat(settlements.approve(payment, "beta", "auth-" + id, 1, 21)).isFalse();

        assertThat(row(id)).isEqualTo("approved beta null");
        assertThat(attempt(id)).isEqualTo("approved null auth-" + id);
        assertThat(events(id)).containsExactly("payment.approved");
    }

    @Test
    void attemptsAreRecordedInOneBatchOnlyForPaymentsStillProcessingAndOncePerAttemptAndAcquirer() throws Exception {
        UUID fresh = payment("processing");
        UUID settled = payment("declined");
        UUID raced = payment("processing"); // the consumer and the janitor both start attempt 1
        UUID triedAlpha = payment("processing");
        attemptSent(triedAlpha); // attempt 1 went to alpha

        var first = start(fresh, 1, "alpha");
        var tooLate = start(settled, 1, "alpha");
        var oneOfTwo = start(raced, 1, "alpha");
        var otherOfTwo = start(raced, 1, "beta");
        var alphaAgain = start(triedAlpha, 2, "alpha");
        var next = start(triedAlpha, 2, "beta");

        settlements.writeStarts(List.of(first, tooLate, oneOfTwo, otherOfTwo, alphaAgain, next));

        assertThat(startedOf(first)).isTrue();
        assertThat(startedOf(tooLate)).isFalse();
        assertThat(startedOf(oneOfTwo)).isTrue();
        assertThat(startedOf(otherOfTwo)).isFalse(); // attempt 1 is taken: this worker must not call beta
        assertThat(startedOf(alphaAgain)).isFalse(); // alpha was tried: never a second call for this payment
        assertThat(startedOf(next)).isTrue();
        assertThat(attempts(fresh)).containsExactly("1 alpha sent");
        assertThat(attempts(settled)).isEmpty();
        assertThat(attempts(raced)).containsExactly("1 alpha sent");
        assertThat(attempts(triedAlpha)).containsExactly("1 alpha sent", "2 beta sent");
    }

    /**
     * Both batch statements run on PostgreSQL's generic plan, never planned again per call: with the default
     * {@code plan_cache_mode} PostgreSQL builds a custom plan for every one of these calls (a bound array's length
     * is unknown to the generic plan, which then looks dearer), and planning the settlement cost more than running
     * it. The setting stays inside the batch's transaction: the pooled connection is as it was afterwards.
     */
    @Test
    void theBatchStatementsRunOnTheirGenericPlanAndLeaveTheConnectionAsItWas() throws Exception {
        Map<String, String> statements = Map.of("attempts", "insert into payment_attempts%unnest%",
                "settlement", "with moved as%");
        PreparedPlans.onServerPreparedStatements(dataSource, connection -> {
            Map<String, PreparedPlans.Plans> before = new HashMap<>();
            for (var statement : statements.entrySet()) {
                before.put(statement.getKey(), PreparedPlans.of(connection, statement.getValue()));
            }
            connection.setAutoCommit(false);
            for (int i = 0; i < 6; i++) {
                UUID id = payment("processing");
                assertThat(PaymentSettlements.startBatch(connection, List.of(start(id, 1, "alpha")))).containsExactly(id);
                connection.commit();
                assertThat(PaymentSettlements.settleBatch(connection, List.of(approve(id)))).containsExactly(id);
                connection.commit();
            }
            connection.setAutoCommit(true);
            for (String statement : List.of("attempts", "settlement")) {
                assertThat(PreparedPlans.of(connection, statements.get(statement)).since(before.get(statement)))
                        .as("generic and custom plans of the %s statement", statement)
                        .containsExactly(6L, 0L);
            }
            assertThat(PreparedPlans.cacheMode(connection)).isEqualTo("auto");
        });
    }

    private PaymentSettlements.Start start(UUID id, int attemptNo, String acquirer) {
        return new PaymentSettlements.Start(id, attemptNo, acquirer, id.toString(), Instant.now(), new CompletableFuture<>());
    }

    private static boolean startedOf(PaymentSettlements.Start start) throws Exception {
        return start.started().get(10, TimeUnit.SECONDS);
    }

    private List<String> attempts(UUID id) {
        return jdbc.sql("select attempt_no || ' ' || acquirer || ' ' || outcome from payment_attempts where payment_id = ?"
                + " order by attempt_no").param(id).query(String.class).list();
    }

    private Move approve(UUID id) {
        return move(id, PaymentStatus.APPROVED, "alpha", null,
                new DecidingAttempt(1, PaymentAttempt.Outcome.APPROVED, null, null, "auth-" + id, 17), true);
    }

    private Move hardDecline(UUID id) {
        return move(id, PaymentStatus.DECLINED, "gamma", "card_declined",
                new DecidingAttempt(1, PaymentAttempt.Outcome.DECLINED, "card_declined", "hard", null, 9), false);
    }

    private Move move(UUID id, PaymentStatus to, @Nullable String acquirer, @Nullable String code,
                      @Nullable DecidingAttempt attempt, boolean onlyIfMoved) {
        Instant now = Instant.now();
        PaymentEvent event = switch (to) {
            case APPROVED -> new PaymentEvent.PaymentApproved(id, DEMO_MERCHANT, 1234, "EUR", acquirer, "auth-" + id, now);
            case DECLINED -> new PaymentEvent.PaymentDeclined(id, DEMO_MERCHANT, 1234, "EUR", acquirer, code, now);
            default -> new PaymentEvent.PaymentFailed(id, DEMO_MERCHANT, 1234, "EUR", code, now);
        };
        return new Move(id, to, acquirer, code, now, outbox.entry(event, now), attempt, onlyIfMoved,
                new CompletableFuture<>());
    }

    /** A payment row as the intake would have left it, without its created event (so nothing processes it). */
    private UUID payment(String status) {
        UUID id = Ids.next();
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.sql("""
                insert into payments (payment_id, merchant_id, amount, currency, status, order_id, created_at, updated_at)
                values (?, ?, 1234, 'EUR', ?, 'settle-test', ?, ?)""")
                .params(id, DEMO_MERCHANT, status, now, now).update();
        return id;
    }

    private void attemptSent(UUID id) {
        jdbc.sql("""
                insert into payment_attempts (payment_id, attempt_no, acquirer, reference, outcome, created_at)
                values (?, 1, 'alpha', ?, 'sent', now())""")
                .params(id, id.toString()).update();
    }

    private static boolean movedOf(Move move) throws Exception {
        return move.moved().get(10, TimeUnit.SECONDS);
    }

    private String row(UUID id) {
        return jdbc.sql("select status || ' ' || coalesce(acquirer, 'null') || ' ' || coalesce(decline_code, 'null')"
                + " from payments where payment_id = ?").param(id).query(String.class).single();
    }

    private String attempt(UUID id) {
        return jdbc.sql("select outcome || ' ' || coalesce(decline_kind, 'null') || ' ' || coalesce(acquirer_reference, 'null')"
                + " from payment_attempts where payment_id = ? and attempt_no = 1").param(id).query(String.class).single();
    }

    private List<String> events(UUID id) {
        return jdbc.sql("select event_type from outbox where aggregate_id = ? order by seq")
                .param(id).query(String.class).list();
    }
}
