/**
 * Acquirers as Payrail sees them: one narrow port ({@code AcquirerPort}: authorize, refund, void, inquire), four
 * outcomes ({@code AcquirerOutcome}: approved, declined, pending, unknown), and per acquirer one adapter and one
 * mapper behind a shared, pooled HTTP client with its own time-outs, bulkhead, circuit breaker and metrics.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"platform", "vault"})
package dev.payrail.acquirer;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
