/**
 * Embedded mode: the real PostgreSQL and Kafka servers Payrail starts itself, the data-directory lock, and
 * the checks that refuse a bad start-up with one line.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"platform"})
package dev.payrail.embedded;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
