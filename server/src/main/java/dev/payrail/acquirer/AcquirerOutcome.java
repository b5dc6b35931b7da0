package dev.payrail.acquirer;

/** PLACEHOLDER (replaced by the acquirers branch at merge). */
public sealed interface AcquirerOutcome {
    record Approved(String acquirerReference) implements AcquirerOutcome {}

    record Declined(String code, DeclineKind kind) implements AcquirerOutcome {}

    record Pending() implements AcquirerOutcome {}

    record Unknown(String reason) implements AcquirerOutcome {}

    enum DeclineKind { HARD, SOFT }
}
