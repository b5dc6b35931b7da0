package dev.payrail.acquirer;

/**
 * What one call to an acquirer ended in: exactly one of four outcomes, so a caller's {@code switch} must decide
 * for each (the Kill Bill model: SUCCESS, FAILURE, PENDING, EXCEPTION).
 *
 * <ul>
 *   <li>{@link Approved}: done; the acquirer's own reference for it.
 *   <li>{@link Declined}: the acquirer answered no. {@link DeclineKind#HARD}: asking again, here or elsewhere, will
 *       not help (stolen card, insufficient funds). {@link DeclineKind#SOFT}: this acquirer said no for now, and
 *       another acquirer may say yes — a cascade may go on.
 *   <li>{@link Pending}: the acquirer has the request and has not decided; ask again later ({@code inquire}).
 *   <li>{@link Unknown}: the request may have reached the acquirer and nobody knows what it did — a time-out, a
 *       connection reset, a 5xx, an unreadable answer, all AFTER the request was sent. The caller must inquire
 *       (by the same reference) before it does anything else with the payment, and must never cascade to another
 *       acquirer while an attempt is unknown: that is how a customer gets charged twice.
 * </ul>
 *
 * <p>Two declines are not answers from the acquirer but facts the adapter knows for certain:
 * <ul>
 *   <li>{@link Declined#ACQUIRER_UNAVAILABLE} (soft): NOTHING WAS SENT, or the acquirer said in so many words that
 *       it processed nothing — the connection was refused or could not be made in time, the circuit breaker is
 *       open, the bulkhead is full, or the acquirer answered "unavailable". Cascading is safe.
 *   <li>{@link Declined#NOT_FOUND} (soft): an {@code inquire} or a void of a reference the acquirer never
 *       received. After an {@link Unknown} it means the request never arrived, so it is safe to go on; the caller
 *       should inquire only after the call's own time-out has passed (the adapter returns Unknown only then).
 * </ul>
 */
public sealed interface AcquirerOutcome
        permits AcquirerOutcome.Approved, AcquirerOutcome.Declined, AcquirerOutcome.Pending, AcquirerOutcome.Unknown {

    /** Whether a retry or cascade is pointless ({@code HARD}) or may succeed elsewhere ({@code SOFT}). */
    enum DeclineKind { HARD, SOFT }

    /** The acquirer approved; {@code acquirerReference} is its own id for the operation. */
    record Approved(String acquirerReference) implements AcquirerOutcome {}

    /** The acquirer declined (or, for the two codes below, nothing was done); {@code code} is snake_case. */
    record Declined(String code, DeclineKind kind) implements AcquirerOutcome {

        /** Nothing was sent, or the acquirer said it processed nothing: safe to cascade. */
        public static final String ACQUIRER_UNAVAILABLE = "acquirer_unavailable";
        /** The acquirer never received this reference. */
        public static final String NOT_FOUND = "not_found";
        /** An inquiry of an authorization that was voided. */
        public static final String VOIDED = "voided";

        public static Declined unavailable() {
            return new Declined(ACQUIRER_UNAVAILABLE, DeclineKind.SOFT);
        }

        public static Declined notFound() {
            return new Declined(NOT_FOUND, DeclineKind.SOFT);
        }

        public boolean isUnavailable() {
            return ACQUIRER_UNAVAILABLE.equals(code);
        }

        public boolean isNotFound() {
            return NOT_FOUND.equals(code);
        }
    }

    /** The acquirer has the request and has not decided yet. */
    record Pending() implements AcquirerOutcome {}

    /** The request may have been processed; {@code reason} says what went wrong, for logs and the attempt record. */
    record Unknown(String reason) implements AcquirerOutcome {}
}
