package dev.payrail.payment;

import dev.payrail.platform.WireName;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One call to an acquirer for a payment, recorded before the call is made ({@code sent}) and resolved after.
 * {@code reference} is what the acquirer knows it by (the payment id: acquirers are idempotent by reference, so a
 * repeated call can never approve twice).
 */
public record PaymentAttempt(UUID paymentId, int attemptNo, String acquirer, String reference, Outcome outcome,
                             @Nullable String declineCode, @Nullable String declineKind,
                             @Nullable String acquirerReference, @Nullable Integer latencyMs, Instant createdAt) {

    /** Where an attempt stands. {@code SENT}, {@code PENDING} and {@code UNKNOWN} are unresolved. */
    public enum Outcome implements WireName {
        SENT, APPROVED, DECLINED, PENDING, UNKNOWN, VOIDED;

        public boolean isResolved() {
            return switch (this) {
                case SENT, PENDING, UNKNOWN -> false;
                case APPROVED, DECLINED, VOIDED -> true;
            };
        }
    }
}
