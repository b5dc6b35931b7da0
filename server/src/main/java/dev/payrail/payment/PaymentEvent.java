package dev.payrail.payment;

import dev.payrail.outbox.DomainEvent;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The payment's internal events, a sealed family so that a consumer's {@code switch} must decide for every
 * member. Their components are the internal schema (documented in docs/ARCHITECTURE.md, versioned by
 * {@link #eventVersion()}); merchant-facing shapes are derived from them ({@link PaymentView#of(PaymentCreated)}),
 * never the same object. No event carries a card number or CVC: the card is referred to by its vault token.
 */
public sealed interface PaymentEvent extends DomainEvent.OfPayment permits PaymentEvent.PaymentCreated, PaymentEvent.PaymentApproved,
        PaymentEvent.PaymentDeclined, PaymentEvent.PaymentFailed {

    /** Every member named: a new event must choose its type here. */
    @Override
    default String eventType() {
        return switch (this) {
            case PaymentCreated created -> PaymentCreated.TYPE;
            case PaymentApproved approved -> "payment.approved";
            case PaymentDeclined declined -> "payment.declined";
            case PaymentFailed failed -> "payment.failed";
        };
    }

    /** Raised per type when its fields change meaning or disappear (see docs/ARCHITECTURE.md, "Events"). */
    @Override
    default int eventVersion() {
        return switch (this) {
            case PaymentCreated created -> 1;
            case PaymentApproved approved -> 1;
            case PaymentDeclined declined -> 1;
            case PaymentFailed failed -> 1;
        };
    }

    /** A payment was accepted and is {@code processing}: the processing role takes it from here. */
    record PaymentCreated(UUID paymentId, UUID merchantId, long amount, String currency, String orderId,
                          @Nullable String description, @Nullable String idempotencyKey, @Nullable Customer customer,
                          @Nullable Card card, Instant createdAt) implements PaymentEvent {

        public static final String TYPE = "payment.created";

        static PaymentCreated of(Payment p) {
            var customer = p.customer() == null ? null
                    : new Customer(p.customer().email(), p.customer().ip(), p.customer().country());
            var card = p.card() == null ? null
                    : new Card(p.card().vaultToken(), p.card().bin(), p.card().last4(), p.card().fingerprint(),
                            p.card().expMonth(), p.card().expYear());
            return new PaymentCreated(p.paymentId(), p.merchantId(), p.amount(), p.currency(), p.orderId(),
                    p.description(), p.idempotencyKey(), customer, card, p.createdAt());
        }

        /** The payment as it was when created, e.g. to derive the merchant-facing view. */
        public Payment toPayment() {
            var customer = this.customer == null ? null
                    : new PaymentRequest.Customer(this.customer.email(), this.customer.ip(), this.customer.country());
            var summary = card == null ? null
                    : new Payment.CardSummary(card.bin(), card.last4(), card.fingerprint(), card.expMonth(),
                            card.expYear(), card.vaultToken());
            return new Payment(paymentId, merchantId, amount, currency, PaymentStatus.PROCESSING, orderId, description,
                    idempotencyKey, customer, summary, createdAt, createdAt);
        }
    }

    /** An acquirer approved the payment; {@code acquirerReference} is the acquirer's id for the authorization. */
    record PaymentApproved(UUID paymentId, UUID merchantId, long amount, String currency, String acquirer,
                           String acquirerReference, Instant approvedAt) implements PaymentEvent {}

    /** The payment was declined: by an acquirer (hard, or soft on every acquirer tried) or by a rule. */
    record PaymentDeclined(UUID paymentId, UUID merchantId, long amount, String currency, @Nullable String acquirer,
                           String declineCode, Instant declinedAt) implements PaymentEvent {}

    /** The payment could not be processed (no acquirer could answer); no money moved. */
    record PaymentFailed(UUID paymentId, UUID merchantId, long amount, String currency, String reason,
                         Instant failedAt) implements PaymentEvent {}

    /** The buyer as given by the merchant. */
    record Customer(@Nullable String email, @Nullable String ip, @Nullable String country) {}

    /** The card, without number or CVC: those are in the vault under {@code vaultToken}. */
    record Card(UUID vaultToken, String bin, String last4, String fingerprint, int expMonth, int expYear) {}
}
