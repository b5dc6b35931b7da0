package dev.payrail.acquirer;

import dev.payrail.acquirer.AcquirerOutcome.Declined;

/** {@link GammaAcquirerAdapter} against the gamma simulator. */
class GammaAcquirerContractIT extends AcquirerContractIT {

    @Override
    String name() {
        return GammaAcquirerAdapter.NAME;
    }

    @Override
    AcquirerPort adapter(AcquirerClient client) {
        return new GammaAcquirerAdapter(client);
    }

    @Override
    Declined retryCardDecline() {
        return null;
    }
}
