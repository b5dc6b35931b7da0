package dev.payrail.acquirer;

/** Acquirer {@code alpha} (fast and approves most payments; declines 4000000000000101 softly, so a cascade is visible). It speaks the simulator protocol; see {@link AlphaMapper}. */
final class AlphaAcquirerAdapter extends HttpAcquirerAdapter {

    static final String NAME = "alpha";

    AlphaAcquirerAdapter(AcquirerClient client) {
        super(NAME, client, new AlphaMapper());
    }
}
