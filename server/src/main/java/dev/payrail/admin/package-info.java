/**
 * The operator side: {@code /admin-api}, its authentication.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"platform", "merchant", "payment", "routing", "acquirer", "webhook", "refund", "account", "audit"})
package dev.payrail.admin;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
