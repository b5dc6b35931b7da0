package dev.payrail.acquirer;
import lombok.RequiredArgsConstructor;

/**
 * The port for an acquirer reached over HTTP: each operation is "the mapper builds the request, the client sends
 * it, the mapper reads the answer". Each acquirer's adapter extends it with its name and its mapper, so what
 * differs between acquirers lives in the mapper and everything about HTTP lives in {@link AcquirerClient}.
 */
@RequiredArgsConstructor
abstract class HttpAcquirerAdapter implements AcquirerPort {

    private final String name;
    private final AcquirerClient client;
    private final AcquirerMapper mapper;

    @Override
    public final String name() {
        return name;
    }

    // Each operation, one line: the mapper builds the request, the client sends it, the mapper reads the answer.

    @Override
    public final AcquirerOutcome authorize(Authorization request) { return send(mapper.authorize(request)); }

    @Override
    public final AcquirerOutcome refund(RefundRequest request) { return send(mapper.refund(request)); }

    @Override
    public final AcquirerOutcome voidAuthorization(String reference) { return send(mapper.voidAuthorization(reference)); }

    @Override
    public final AcquirerOutcome inquire(String reference) { return send(mapper.inquire(reference)); }

    private AcquirerOutcome send(AcquirerRequest request) {
        return client.call(request, mapper);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + "]";
    }
}
