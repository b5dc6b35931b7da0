/**
 * Acquirer simulators (role {@code simulators}): three acquirers with different behaviour under
 * {@code /simulators/acquirers/{name}}, deterministic test cards, runtime knobs and named fault switches, and
 * books of their own in PostgreSQL. Payrail reaches them only over HTTP, like a real acquirer, so a simulator can
 * run on a node of its own.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"platform"})
package dev.payrail.simulator;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
