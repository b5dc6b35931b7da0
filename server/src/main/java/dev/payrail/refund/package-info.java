/**
 * Refunds of approved payments: the merchant API ({@code /v1/payments/{id}/refunds}) and the operator's
 * ({@code /admin-api/refunds}, {@code /admin-api/payments/{id}/refunds}, {@code …/simulate-refund}) in
 * {@code refund.web}, one service they share, the call to the acquirer that approved the payment, and the settler
 * that finishes refunds a crash or a time-out left {@code requested}.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"platform", "merchant", "payment", "acquirer", "outbox", "idempotency", "audit"})
package dev.payrail.refund;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
