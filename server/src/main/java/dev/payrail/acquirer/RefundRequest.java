package dev.payrail.acquirer;

/**
 * A refund to ask for: its own reference (the acquirer-side idempotency key), the reference of the approved
 * authorization it refunds, and the amount in minor units of {@code currency}.
 */
public record RefundRequest(String reference, String authorizationReference, long amount, String currency) {}
