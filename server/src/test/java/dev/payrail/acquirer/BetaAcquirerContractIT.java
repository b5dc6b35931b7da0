package dev.payrail.acquirer;

import dev.payrail.acquirer.AcquirerOutcome.Declined;

/** {@link BetaAcquirerAdapter} against the beta simulator. */
class BetaAcquirerContractIT extends AcquirerContractIT {

    @Override
    String name() {
        return BetaAcquirerAdapter.NAME;
    }

    @Override
    AcquirerPort adapter(AcquirerClient client) {
        return new BetaAcquirerAdapter(client);
    }

    @Override
    Declined retryCardDecline() {
        return null;
    }
}
