package dev.payrail.payment;

import java.time.Instant;
import java.util.UUID;

/**
 * A payment as stored. Money is {@code amount} minor units of {@code currency}. The status changes only through
 * the processing flow (a later role); the merchant API creates payments in {@code processing}.
 */
public record Payment(
        UUID paymentId,
        UUID merchantId,
        long amount,
        String currency,
        PaymentStatus status,
        String orderId,
        String description,
        String idempotencyKey,
        PaymentRequest.Customer customer,
        CardSummary card,
        Instant createdAt,
        Instant updatedAt) {

    /** What is kept of a card: never the number or the CVC. */
    public record CardSummary(String bin, String last4, String fingerprint, int expMonth, int expYear) {}

    /** Type of the merchant-facing event written with a new payment, in the same transaction. */
    public static final String CREATED_EVENT_TYPE = "payment.created";
}
