package dev.payrail.payment;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The payment as the merchant API shows it: the prototype's fields (times in epoch seconds) plus customer, card
 * summary, and once processing has worked on it the acquirer that decided it, the decline code and every
 * attempt, and how much of it has been refunded ({@code refunded_amount}, succeeded refunds). Field names become
 * snake_case on the wire.
 */
public record PaymentView(
        String paymentId,
        String merchantId,
        long amount,
        String currency,
        @Schema(allowableValues = {"new", "processing", "approved", "declined", "failed"}) String status,
        String orderId,
        @Nullable String idempotencyKey,
        @Nullable String description,
        @Nullable CustomerView customer,
        @Nullable PaymentMethodView paymentMethod,
        long createdAt,
        long updatedAt,
        @Nullable String acquirer,
        @Nullable String declineCode,
        List<AttemptView> attempts,
        long refundedAmount) {

    /** One call to an acquirer: who, what came of it, how long it took. */
    public record AttemptView(int attemptNo, String acquirer,
                              @Schema(allowableValues = {"sent", "approved", "declined", "pending", "unknown",
                                      "voided"}) String outcome,
                              @Nullable String declineCode,
                              @Nullable @Schema(allowableValues = {"hard", "soft"}) String declineKind,
                              @Nullable Integer latencyMs, long createdAt) {}

    public record CustomerView(@Nullable String email, @Nullable String ip, @Nullable String country) {}

    public record PaymentMethodView(String type, @Nullable String bin, String last4, int expMonth, int expYear,
                                    @Nullable String fingerprint) {}

    /** The merchant-facing view of a payment as its creation event describes it (for webhooks and events). */
    public static PaymentView of(PaymentEvent.PaymentCreated created) {
        return of(created.toPayment());
    }

    public static PaymentView of(Payment p) {
        return of(p, List.of());
    }

    public static PaymentView of(Payment p, List<PaymentAttempt> attempts) {
        var customer = p.customer() == null ? null
                : new CustomerView(p.customer().email(), p.customer().ip(), p.customer().country());
        var card = p.card() == null ? null
                : new PaymentMethodView("card", p.card().bin(), p.card().last4(), p.card().expMonth(),
                        p.card().expYear(), p.card().fingerprint());
        return new PaymentView(p.paymentId().toString(), p.merchantId().toString(), p.amount(), p.currency(),
                p.status().wireName(), p.orderId(), p.idempotencyKey(), p.description(), customer, card,
                p.createdAt().getEpochSecond(), p.updatedAt().getEpochSecond(), p.acquirer(), p.declineCode(),
                attempts.stream().map(a -> new AttemptView(a.attemptNo(), a.acquirer(), a.outcome().wireName(),
                        a.declineCode(), a.declineKind(), a.latencyMs(), a.createdAt().getEpochSecond())).toList(),
                0);
    }

    /** The same view with the sum of the payment's succeeded refunds. */
    public PaymentView withRefundedAmount(long amount) {
        return new PaymentView(paymentId, merchantId, this.amount, currency, status, orderId, idempotencyKey,
                description, customer, paymentMethod, createdAt, updatedAt, acquirer, declineCode, attempts, amount);
    }
}
