/**
 * The card vault: card numbers and CVCs sealed with AES-GCM, opened only for an authorization, erased
 * when the payment no longer needs them.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"platform"})
package dev.payrail.vault;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
