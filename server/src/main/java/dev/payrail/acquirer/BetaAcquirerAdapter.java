package dev.payrail.acquirer;

/** Acquirer {@code beta} (slower, and now and then fails with a 5xx or does not answer in time). It speaks the simulator protocol; see {@link BetaMapper}. */
final class BetaAcquirerAdapter extends HttpAcquirerAdapter {

    static final String NAME = "beta";

    BetaAcquirerAdapter(AcquirerClient client) {
        super(NAME, client, new BetaMapper());
    }
}
