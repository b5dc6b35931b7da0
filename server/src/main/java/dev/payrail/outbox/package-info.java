/**
 * The transactional outbox: the one way to append an event in the caller's transaction, and the relay that
 * publishes committed events to Kafka.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"platform"})
package dev.payrail.outbox;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
