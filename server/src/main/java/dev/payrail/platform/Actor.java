package dev.payrail.platform;

import org.jspecify.annotations.Nullable;

/**
 * Who is acting: an operator account (its e-mail and role), the static admin token ({@code token}), or Payrail
 * itself ({@code system}, background work). Written into the audit log and a payment's manual changes.
 */
public record Actor(String name, String role, @Nullable String sourceIp) {

    public static final Actor SYSTEM = new Actor("system", "system", null);
}
