/**
 * Processing: takes accepted payments from Kafka, routes each to acquirers, cascades on soft declines and
 * outages, never while an attempt's outcome is unknown, and moves the payment to its final status; the janitor
 * settles what a crash or a lost message left in {@code processing}.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"platform", "payment", "acquirer", "vault", "outbox", "routing"})
package dev.payrail.processing;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
