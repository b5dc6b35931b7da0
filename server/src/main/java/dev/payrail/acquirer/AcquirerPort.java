package dev.payrail.acquirer;

/**
 * One acquirer, as the processing core calls it. Every operation is keyed by the caller's reference, which the
 * acquirer uses to make the operation idempotent: sending the same reference again can never charge twice.
 * Every operation returns one of the four {@link AcquirerOutcome}s and never throws for anything the acquirer or
 * the network does; see {@link AcquirerOutcome} for what each means and what the caller may do next.
 */
public interface AcquirerPort {

    /** The acquirer's name, as in settings and routes ({@code alpha}, {@code beta}, {@code gamma}). */
    String name();

    /** Asks for an authorization of the amount on the card, under {@code request.reference()}. */
    AcquirerOutcome authorize(Authorization request);

    /** Refunds (part of) an approved authorization, under the refund's own reference. */
    AcquirerOutcome refund(RefundRequest request);

    /** Cancels an approved authorization that has not been refunded. Approved means the void took effect. */
    AcquirerOutcome voidAuthorization(String reference);

    /**
     * What the acquirer currently holds for a reference it was sent (an authorization or a refund): Approved,
     * Declined with the recorded code, Pending while it is still working on it, {@code Declined("voided", HARD)}
     * for a voided authorization, and {@link AcquirerOutcome.Declined#NOT_FOUND} when it never received the
     * reference.
     */
    AcquirerOutcome inquire(String reference);
}
