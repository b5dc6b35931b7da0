package dev.payrail.acquirer;

/** PLACEHOLDER (replaced by the acquirers branch at merge): the narrow port every acquirer adapter implements. */
public interface AcquirerPort {
    String name();

    AcquirerOutcome authorize(Authorization request);

    AcquirerOutcome refund(RefundRequest request);

    AcquirerOutcome voidAuthorization(String reference);

    AcquirerOutcome inquire(String reference);
}
