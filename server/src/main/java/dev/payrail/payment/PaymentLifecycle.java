package dev.payrail.payment;

import dev.payrail.outbox.Outbox;
import dev.payrail.platform.Ids;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * With {@link PaymentSettlements} (processing's batched form of the same moves), the only way a payment's status
 * changes after intake: intent-named moves ({@link #decline}, {@link #fail}; only an acquirer approves, so an
 * approval is processing's alone) that check the transition table, change the row with a compare-and-set on its
 * current status, and append the matching {@link PaymentEvent} through the outbox in the same transaction. A
 * move that lost the race (the payment is no longer where the caller thought) changes nothing and says so; a move
 * the table forbids fails loudly.
 */
@Component
@RequiredArgsConstructor
public class PaymentLifecycle {

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final Clock clock;

    /** What a compare-and-set returned: the row as it was moved. */
    private record Moved(UUID merchantId, long amount, String currency) {}

    /** processing → declined with {@code code} (by {@code acquirer}, when one declined it). */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean decline(UUID paymentId, @Nullable String acquirer, String code) {
        return move(paymentId, PaymentStatus.DECLINED, acquirer, code, (m, now) -> new PaymentEvent.PaymentDeclined(
                paymentId, m.merchantId(), m.amount(), m.currency(), acquirer, code, now));
    }

    /** processing → failed: no acquirer could decide it; no money moved. */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean fail(UUID paymentId, String reason) {
        return move(paymentId, PaymentStatus.FAILED, null, reason, (m, now) -> new PaymentEvent.PaymentFailed(
                paymentId, m.merchantId(), m.amount(), m.currency(), reason, now));
    }

    /** Why a status set by hand was refused; {@link #code()} is the problem code the admin API answers. */
    public static final class ManualChangeRefused extends RuntimeException {
        private final String code;

        ManualChangeRefused(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /**
     * An operator sets a payment's status by hand ({@code PATCH /admin-api/payments/{id}}): only along the
     * transition table, and never to {@code approved} — only an acquirer approves, and a hand-made approval would
     * either hide that no money was taken or, with a call still in flight, get the real authorization voided as
     * "approved after the payment was settled". Declining or failing a payment stuck in {@code processing} is
     * safe: an approval arriving afterwards is voided. The change is recorded (who, why, from, to) and its event
     * is the one an acquirer's decision would have raised, in the caller's transaction.
     *
     * @throws ManualChangeRefused {@code manual_approval_refused} or {@code illegal_transition}
     * @return false when the payment does not exist
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean setByHand(UUID paymentId, PaymentStatus to, String reason, String actor) {
        Optional<PaymentStatus> current = jdbc.sql("select status from payments where payment_id = ? for update")
                .param(paymentId).query((rs, row) -> PaymentStatus.fromWire(rs.getString(1))).optional();
        if (current.isEmpty()) {
            return false;
        }
        if (to == PaymentStatus.APPROVED) {
            throw new ManualChangeRefused("manual_approval_refused",
                    "Only an acquirer approves a payment; it can be declined or failed by hand.");
        }
        if (!current.get().canMoveTo(to)) {
            throw new ManualChangeRefused("illegal_transition",
                    "A " + current.get().wireName() + " payment cannot become " + to.wireName() + ".");
        }
        boolean moved = switch (to) {
            case DECLINED -> decline(paymentId, null, "manual");
            case FAILED -> fail(paymentId, "manual");
            case NEW, PROCESSING, APPROVED -> throw new IllegalStateException("not reachable by hand: " + to);
        };
        if (!moved) {
            throw new IllegalStateException("payment " + paymentId + " moved while locked");
        }
        jdbc.sql("""
                insert into payment_manual_changes (change_id, payment_id, from_status, to_status, reason, actor, changed_at)
                values (?, ?, ?, ?, ?, ?, ?)""")
                .params(Ids.next(), paymentId, current.get().wireName(), to.wireName(), reason, actor,
                        Timestamp.from(clock.instant()))
                .update();
        return true;
    }

    /** The compare-and-set, then the event, in the caller's transaction; false when the payment had moved on. */
    private boolean move(UUID paymentId, PaymentStatus to, @Nullable String acquirer, @Nullable String declineCode,
                         BiFunction<Moved, Instant, PaymentEvent> event) {
        if (!PaymentStatus.PROCESSING.canMoveTo(to)) {
            throw new IllegalStateException("illegal transition processing -> " + to.wireName());
        }
        Instant now = clock.instant();
        Optional<Moved> moved = jdbc.sql("""
                update payments set status = ?, acquirer = ?, decline_code = ?, updated_at = ?, version = version + 1
                where payment_id = ? and status = 'processing'
                returning merchant_id, amount, currency""")
                .params(to.wireName(), acquirer, declineCode, Timestamp.from(now), paymentId)
                .query((rs, row) -> new Moved(rs.getObject("merchant_id", UUID.class), rs.getLong("amount"),
                        rs.getString("currency")))
                .optional();
        moved.ifPresent(m -> outbox.append(event.apply(m, now)));
        return moved.isPresent();
    }
}
