package dev.payrail.acquirer;

import java.util.List;
import java.util.Optional;

/** PLACEHOLDER (replaced by the acquirers branch at merge). */
public interface Acquirers {
    Optional<AcquirerPort> byName(String name);

    List<AcquirerPort> all();
}
