/**
 * The web console: the React app built from {@code console/} into the jar ({@code static/console/}), served at
 * {@code /console} on nodes with the {@code admin} role. It talks to {@code /admin-api} like any other client.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"platform"})
package dev.payrail.console;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
