/**
 * The audit log: every change made through the admin side, who made it, from where, and the object before and
 * after, in an append-only table (a trigger refuses UPDATE, DELETE and TRUNCATE). Secrets are redacted on the
 * way in. Callers record inside the transaction of the change, so the change and its record commit together.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {"platform"})
package dev.payrail.audit;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
