package dev.payrail.account;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** An operator account as shown (never its password hash). */
public record OperatorAccount(UUID accountId, String email, OperatorRole role, boolean disabled, Instant createdAt,
                              @Nullable Instant lastLoginAt) {}
