/** PLACEHOLDER (replaced by the acquirers branch at merge). */
@NullMarked
@ApplicationModule(allowedDependencies = {"platform", "vault"})
package dev.payrail.acquirer;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
