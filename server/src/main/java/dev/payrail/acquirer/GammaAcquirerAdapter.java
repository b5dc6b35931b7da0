package dev.payrail.acquirer;

/** Acquirer {@code gamma} (strict: declines more payments than the others). It speaks the simulator protocol; see {@link GammaMapper}. */
final class GammaAcquirerAdapter extends HttpAcquirerAdapter {

    static final String NAME = "gamma";

    GammaAcquirerAdapter(AcquirerClient client) {
        super(NAME, client, new GammaMapper());
    }
}
