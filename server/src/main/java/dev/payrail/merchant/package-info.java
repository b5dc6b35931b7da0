/**
 * Merchants, their API keys (stored hashed) and the API-key authentication of the merchant API.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"platform"})
package dev.payrail.merchant;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
