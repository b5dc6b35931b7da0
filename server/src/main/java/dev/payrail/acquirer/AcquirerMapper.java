package dev.payrail.acquirer;

/**
 * Translates between the port and one acquirer's wire format (Hyperswitch's "transformers"): requests out,
 * answers in. It does no I/O; {@link AcquirerClient} sends what it builds and hands it what came back. Transport
 * failures never reach a mapper: the client turns them into outcomes itself, the same way for every acquirer.
 */
interface AcquirerMapper {

    AcquirerRequest authorize(Authorization request);

    AcquirerRequest refund(RefundRequest request);

    AcquirerRequest voidAuthorization(String reference);

    AcquirerRequest inquire(String reference);

    /** The outcome an HTTP answer means, whatever its status code or body. */
    AcquirerOutcome outcome(AcquirerAnswer answer);
}
