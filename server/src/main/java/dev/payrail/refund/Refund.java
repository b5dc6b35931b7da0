package dev.payrail.refund;

import dev.payrail.acquirer.RefundRequest.SimulatedOutcome;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A refund as stored: {@code amount} minor units of the payment's {@code currency}, sent to the {@code acquirer}
 * that approved the payment, under the authorization's reference there. Its own id is its reference at the
 * acquirer, which makes sending it again harmless.
 */
public record Refund(
        UUID refundId,
        UUID paymentId,
        UUID merchantId,
        long amount,
        String currency,
        RefundStatus status,
        @Nullable String reason,
        String acquirer,
        String authorizationReference,
        @Nullable String acquirerReference,
        @Nullable String failureCode,
        @Nullable String idempotencyKey,
        @Nullable SimulatedOutcome simulatedOutcome,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant settledAt) {}
