/**
 * Routing: which acquirers a payment is offered to, and in what order. Routing rules and the acquirers' on/off
 * switches live in PostgreSQL (managed over the admin API); each processing node reads them from a small cache
 * ({@code RoutingTable}) that reloads on a change made on this node and polls for changes made on others.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"platform", "merchant", "payment"})
package dev.payrail.routing;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
