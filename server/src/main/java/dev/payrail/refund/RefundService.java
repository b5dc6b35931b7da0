package dev.payrail.refund;

import dev.payrail.acquirer.AcquirerOutcome;
import dev.payrail.acquirer.AcquirerPort;
import dev.payrail.acquirer.Acquirers;
import dev.payrail.acquirer.RefundRequest;
import dev.payrail.acquirer.RefundRequest.SimulatedOutcome;
import dev.payrail.idempotency.IdempotencyKey;
import dev.payrail.idempotency.IdempotencyKeys;
import dev.payrail.idempotency.RequestHash;
import dev.payrail.idempotency.StoredAnswer;
import dev.payrail.outbox.Outbox;
import dev.payrail.payment.Payment;
import dev.payrail.payment.PaymentAttempt;
import dev.payrail.payment.PaymentAttempts;
import dev.payrail.payment.PaymentStatus;
import dev.payrail.payment.Payments;
import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.Ids;
import dev.payrail.platform.PayrailProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one path every refund takes, from the merchant API and from the admin API alike:
 *
 * <ol>
 *   <li>{@link #create}: one transaction locks the payment's row, checks that it is {@code approved} and that the
 *       refunds still counting against it (succeeded + requested) leave room for this one, and inserts the refund
 *       {@code requested}. Every creation of a refund for that payment waits on the same row lock, so two
 *       concurrent refunds cannot both see the same room.</li>
 *   <li>{@link #send}, after that commit: the refund goes to the acquirer that approved the payment, under the
 *       refund id as its reference, and its outcome settles the refund (a compare-and-set on {@code requested})
 *       together with its event in the outbox. An unknown outcome leaves it {@code requested}; the
 *       {@link RefundSettler} sends it again later, which the acquirer answers with the first outcome.</li>
 * </ol>
 */
@Service
@RequiredArgsConstructor
public class RefundService {

    private static final Logger log = LoggerFactory.getLogger(RefundService.class);

    /** The idempotency module's name for this operation. */
    static final String OPERATION = "refund.create";

    /** A refund to make: of which payment, how much, why, and (admin only) the outcome a simulator should give it. */
    public record RefundOrder(UUID paymentId, long amount, @Nullable String reason,
                              @Nullable SimulatedOutcome simulatedOutcome) {}

    /** The merchant's answer: its HTTP status, the refund as it is now, and whether the key replayed it. */
    public record MerchantAnswer(int status, Refund refund, boolean replayed) {}

    /** A merchant request as understood, for the idempotency hash: a different payment, amount or reason differs. */
    private record UnderstoodRequest(UUID paymentId, long amount, @Nullable String reason) {}

    private final Refunds refunds;
    private final Payments payments;
    private final PaymentAttempts attempts;
    private final Acquirers acquirers;
    private final IdempotencyKeys keys;
    private final Outbox outbox;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final Clock clock;
    private final PayrailProperties properties;
    private final MeterRegistry meters;

    /**
     * A merchant's refund of one of its own payments (another merchant's is not found). With an
     * {@code Idempotency-Key}, a repeat of the same request answers the same refund (as it is now) and a different
     * request under the key is refused ({@code 422 idempotency_key_reuse}); a refused request stores nothing.
     */
    public MerchantAnswer requestForMerchant(UUID merchantId, @Nullable String idempotencyKey, RefundOrder order) {
        if (idempotencyKey == null) {
            Refund created = transactions.execute(tx -> create(order, merchantId, null));
            return new MerchantAnswer(HttpStatus.CREATED.value(), send(created), false);
        }
        String hash = RequestHash.of(json, new UnderstoodRequest(order.paymentId(), order.amount(), order.reason()));
        AtomicReference<@Nullable Refund> created = new AtomicReference<>();
        IdempotencyKeys.Result result = keys.execute(new IdempotencyKey(merchantId, idempotencyKey), OPERATION, hash,
                properties.idempotency().retention(), () -> {
                    Refund refund = create(order, merchantId, idempotencyKey);
                    created.set(refund);
                    return new IdempotencyKeys.Performed(refund.refundId(), new StoredAnswer(
                            HttpStatus.CREATED.value(), json.writeValueAsString(RefundView.of(refund))));
                });
        return switch (result) {
            case IdempotencyKeys.Result.Executed executed ->
                    new MerchantAnswer(executed.answer().status(), send(required(created.get())), false);
            case IdempotencyKeys.Result.Replayed replayed -> replay(replayed.answer());
        };
    }

    /** An operator's refund (admin API): the same checks and the same path as a merchant's, without a key. */
    public Refund requestAsOperator(RefundOrder order) {
        Refund created = transactions.execute(tx -> create(order, null, null));
        return send(required(created));
    }

    /** A payment's refunds, oldest first; empty when the payment does not belong to {@code merchantId}. */
    public Optional<List<Refund>> ofPayment(@Nullable UUID merchantId, UUID paymentId) {
        Optional<Payment> payment = merchantId == null ? payments.find(paymentId) : payments.find(merchantId, paymentId);
        return payment.map(p -> refunds.ofPayment(p.paymentId()));
    }

    /**
     * Inserts the refund {@code requested}, in the caller's transaction, after the checks that must hold against
     * concurrent refunds — which is why the payment's row is locked first. {@code merchantId} null: an operator's.
     */
    private Refund create(RefundOrder order, @Nullable UUID merchantId, @Nullable String idempotencyKey) {
        Payment payment = payments.lock(order.paymentId())
                .filter(p -> merchantId == null || p.merchantId().equals(merchantId))
                .orElseThrow(RefundService::paymentNotFound);
        if (payment.status() != PaymentStatus.APPROVED) {
            throw new ApiProblem(HttpStatus.CONFLICT, "payment_not_refundable",
                    "Only an approved payment can be refunded; this one is " + payment.status().wireName() + ".");
        }
        if (payment.acquirer() == null) { // approved by hand, say: no acquirer holds money to give back
            throw new ApiProblem(HttpStatus.CONFLICT, "payment_not_refundable",
                    "No acquirer approved this payment, so there is nothing to refund it against.");
        }
        long room = payment.amount() - refunds.committedAmount(payment.paymentId());
        if (order.amount() > room) {
            throw new ApiProblem(HttpStatus.CONFLICT, "refund_exceeds_amount", room == 0
                    ? "The payment is refunded in full (refunds requested or succeeded)."
                    : "At most " + room + " of the payment can still be refunded (refunds requested or succeeded "
                            + "count against its amount).");
        }
        Instant now = clock.instant();
        Refund refund = new Refund(Ids.next(), payment.paymentId(), payment.merchantId(), order.amount(),
                payment.currency(), RefundStatus.REQUESTED, order.reason(), payment.acquirer(),
                authorizationReference(payment), null, null, idempotencyKey, order.simulatedOutcome(), now, now, null);
        refunds.insert(refund);
        return refund;
    }

    /** The reference the approving acquirer knows the authorization by (the attempt's; the payment id by default). */
    private String authorizationReference(Payment payment) {
        return attempts.of(payment.paymentId()).stream()
                .filter(a -> a.outcome() == PaymentAttempt.Outcome.APPROVED && a.acquirer().equals(payment.acquirer()))
                .map(PaymentAttempt::reference)
                .findFirst()
                .orElse(payment.paymentId().toString());
    }

    /**
     * Sends a {@code requested} refund to its acquirer and settles it by the answer; returns the refund as it is
     * then. Safe to repeat, from any node, at any time: the acquirer is idempotent by the refund id (a repeat gets
     * the first outcome, never a second refund) and settling is a compare-and-set. An answer that does not decide
     * (unknown, pending, or nothing sent) leaves the refund {@code requested} for the {@link RefundSettler}.
     */
    Refund send(Refund refund) {
        Optional<AcquirerPort> acquirer = acquirers.byName(refund.acquirer());
        if (acquirer.isEmpty()) {
            log.warn("refund {}: acquirer {} is not configured; it stays requested", refund.refundId(), refund.acquirer());
            return refund;
        }
        AcquirerOutcome outcome = acquirer.get().refund(new RefundRequest(refund.refundId().toString(),
                refund.authorizationReference(), refund.amount(), refund.currency(), refund.simulatedOutcome()));
        return switch (outcome) {
            case AcquirerOutcome.Approved approved ->
                    settle(refund, RefundStatus.SUCCEEDED, approved.acquirerReference(), null);
            case AcquirerOutcome.Declined declined when declined.isUnavailable() -> refund; // nothing was sent
            case AcquirerOutcome.Declined declined -> settle(refund, RefundStatus.FAILED, null, declined.code());
            case AcquirerOutcome.Pending pending -> refund;
            case AcquirerOutcome.Unknown unknown -> {
                log.info("refund {}: outcome unknown at {} ({}); the settler sends it again", refund.refundId(),
                        refund.acquirer(), unknown.reason());
                yield refund;
            }
        };
    }

    /** The final status and its event, in one transaction; a refund settled meanwhile is returned as it is. */
    private Refund settle(Refund refund, RefundStatus to, @Nullable String acquirerReference,
                          @Nullable String failureCode) {
        Refund now = transactions.execute(tx -> {
            Instant at = clock.instant();
            Optional<Refund> moved = refunds.settle(refund.refundId(), to, acquirerReference, failureCode, at);
            moved.ifPresent(r -> outbox.append(RefundEvent.settled(r, at)));
            moved.ifPresent(r -> Counter.builder("payrail.refunds.settled").description("refunds settled, by status")
                    .tag("status", to.wireName()).register(meters).increment());
            return moved.or(() -> refunds.find(refund.refundId())).orElseThrow();
        });
        return required(now);
    }

    /** The first answer's refund, as it is now: a replay must not show "requested" for a refund that succeeded. */
    private MerchantAnswer replay(StoredAnswer first) {
        UUID refundId = UUID.fromString(json.readTree(first.body()).path("refund_id").asString());
        Refund refund = refunds.find(refundId).orElseThrow();
        return new MerchantAnswer(first.status(), refund, true);
    }

    private static ApiProblem paymentNotFound() {
        return ApiProblem.notFound("payment_not_found", "No payment with this id.");
    }

    private static <T> T required(@Nullable T value) {
        if (value == null) {
            throw new IllegalStateException("a transaction returned nothing");
        }
        return value;
    }
}
