package dev.payrail.payment;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A payment as stored. Money is {@code amount} minor units of {@code currency}. The status changes only through
 * the processing flow (a later role); the merchant API creates payments in {@code processing}. Its events are
 * the {@link PaymentEvent} family.
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
        Instant updatedAt,
        @Nullable String acquirer,
        @Nullable String declineCode) {

    /** A payment that no acquirer has decided yet. */
    public Payment(UUID paymentId, UUID merchantId, long amount, String currency, PaymentStatus status, String orderId,
                   @Nullable String description, @Nullable String idempotencyKey,
                   PaymentRequest.@Nullable Customer customer, @Nullable CardSummary card, Instant createdAt,
                   Instant updatedAt) {
        this(paymentId, merchantId, amount, currency, status, orderId, description, idempotencyKey, customer, card,
                createdAt, updatedAt, null, null);
    }

    /**
     * What the payment row keeps of a card: never the number or the CVC, which are sealed in the card vault
     * under {@code vaultToken} for as long as the payment needs them.
     */
    public record CardSummary(String bin, String last4, String fingerprint, int expMonth, int expYear,
                              UUID vaultToken) {}
}
