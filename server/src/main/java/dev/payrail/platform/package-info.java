/**
 * Platform: what every module shares — settings, roles, problem+json, ids, the clock, the master key, the
 * background {@code Worker}, {@code BatchInsert}, the OpenAPI description. Depends on no other module.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {})
package dev.payrail.platform;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
