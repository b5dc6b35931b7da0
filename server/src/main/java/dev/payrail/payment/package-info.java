/**
 * Payments: the aggregate, its events, request validation, the group-commit intake and the merchant API
 * ({@code payment.web}).
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"platform", "merchant", "idempotency", "outbox", "vault"})
package dev.payrail.payment;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
