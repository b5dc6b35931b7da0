package dev.payrail.acquirer;

import dev.payrail.platform.WireName;
import org.jspecify.annotations.Nullable;

/**
 * A refund to ask for: its own reference (the acquirer-side idempotency key), the reference of the approved
 * authorization it refunds, and the amount in minor units of {@code currency}.
 *
 * <p>{@code simulatedOutcome} steers the acquirer simulators only ({@link SimulatedOutcome}): the operator's
 * "make this refund succeed / fail" of the admin API. A real acquirer's mapper leaves it out of its request.
 */
public record RefundRequest(String reference, String authorizationReference, long amount, String currency,
                            @Nullable SimulatedOutcome simulatedOutcome) {

    /** The outcome an operator asks a simulator to give a refund; honoured by the simulators alone. */
    public enum SimulatedOutcome implements WireName {
        SUCCEEDED, FAILED;
    }

    /** A refund whose outcome the acquirer decides. */
    public RefundRequest(String reference, String authorizationReference, long amount, String currency) {
        this(reference, authorizationReference, amount, currency, null);
    }
}
