package dev.payrail.refund;

import dev.payrail.outbox.DomainEvent;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A refund's internal events, a sealed family so that a consumer's {@code switch} must decide for every member.
 * The aggregate is the PAYMENT: refund events travel on the payments topic keyed by payment id, in order with the
 * payment's own events. Both members carry the same fields (the schema is documented in docs/ARCHITECTURE.md).
 */
public sealed interface RefundEvent extends DomainEvent.OfPayment permits RefundEvent.RefundSucceeded, RefundEvent.RefundFailed {

    UUID refundId();

    /** Every member named: a new event must choose its type here. */
    @Override
    default String eventType() {
        return switch (this) {
            case RefundSucceeded succeeded -> RefundSucceeded.TYPE;
            case RefundFailed failed -> RefundFailed.TYPE;
        };
    }

    /** Raised per type when its fields change meaning or disappear. */
    @Override
    default int eventVersion() {
        return switch (this) {
            case RefundSucceeded succeeded -> 1;
            case RefundFailed failed -> 1;
        };
    }

    /** The event of a refund that has just reached its final status. */
    static RefundEvent settled(Refund r, Instant settledAt) {
        return switch (r.status()) {
            case SUCCEEDED -> new RefundSucceeded(r.refundId(), r.paymentId(), r.merchantId(), r.amount(), r.currency(),
                    r.reason(), r.status().wireName(), null, r.acquirer(), r.acquirerReference(), r.createdAt(),
                    settledAt);
            case FAILED -> new RefundFailed(r.refundId(), r.paymentId(), r.merchantId(), r.amount(), r.currency(),
                    r.reason(), r.status().wireName(), r.failureCode(), r.acquirer(), r.createdAt(), settledAt);
            case REQUESTED -> throw new IllegalStateException("refund " + r.refundId() + " is not settled");
        };
    }

    /** The acquirer refunded the money; {@code acquirerReference} is its id for the refund. */
    record RefundSucceeded(UUID refundId, UUID paymentId, UUID merchantId, long amount, String currency,
                           @Nullable String reason, String status, @Nullable String failureCode, String acquirer,
                           @Nullable String acquirerReference, Instant createdAt, Instant settledAt)
            implements RefundEvent {

        public static final String TYPE = "refund.succeeded";
    }

    /** The acquirer refused the refund ({@code failureCode}); no money moved, and the amount is refundable again. */
    record RefundFailed(UUID refundId, UUID paymentId, UUID merchantId, long amount, String currency,
                        @Nullable String reason, String status, String failureCode, String acquirer,
                        Instant createdAt, Instant settledAt) implements RefundEvent {

        public static final String TYPE = "refund.failed";
    }
}
