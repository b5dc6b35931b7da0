package dev.payrail.acquirer;

import dev.payrail.acquirer.AcquirerOutcome.DeclineKind;
import dev.payrail.acquirer.AcquirerOutcome.Declined;

/** {@link AlphaAcquirerAdapter} against the alpha simulator. */
class AlphaAcquirerContractIT extends AcquirerContractIT {

    @Override
    String name() {
        return AlphaAcquirerAdapter.NAME;
    }

    @Override
    AcquirerPort adapter(AcquirerClient client) {
        return new AlphaAcquirerAdapter(client);
    }

    @Override
    Declined retryCardDecline() {
        return new Declined("do_not_honor_retry", DeclineKind.SOFT);
    }
}
