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

    @Override
    public final AcquirerOutcome authorize(Authorization request) {
        return client.call(mapper.authorize(request), mapper);
    }

    @Override
    public final AcquirerOutcome refund(RefundRequest request) {
        return client.call(mapper.refund(request), mapper);
    }

    @Override
    public final AcquirerOutcome voidAuthorization(String reference) {
        return client.call(mapper.voidAuthorization(reference), mapper);
    }

    @Override
    public final AcquirerOutcome inquire(String reference) {
        return client.call(mapper.inquire(reference), mapper);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + "]";
    }
}
