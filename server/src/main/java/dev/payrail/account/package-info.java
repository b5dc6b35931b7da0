/**
 * Operator accounts: who may use the admin side, with which role ({@code admin}, {@code operator},
 * {@code viewer}), passwords hashed with Argon2id, and the first admin account created at first start.
 * Authentication and the per-route rules live in the admin module.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"platform"})
package dev.payrail.account;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
