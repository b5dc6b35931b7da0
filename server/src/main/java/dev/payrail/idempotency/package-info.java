/**
 * Idempotency for any POST: key storage, request hashing, replay and conflict rules, expiry.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"platform"})
package dev.payrail.idempotency;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
