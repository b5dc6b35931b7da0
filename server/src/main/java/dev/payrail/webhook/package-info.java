/**
 * Webhooks: merchant-facing events derived from the {@code payments} topic (the events API), endpoints per
 * merchant with Standard Webhooks secrets, one delivery per (event, endpoint) sent by any number of nodes
 * ({@code FOR UPDATE SKIP LOCKED} with a lease), retries on a configured schedule, dead letters and redelivery,
 * and the merchant receiver simulator.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"platform", "merchant", "payment", "audit"})
package dev.payrail.webhook;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
