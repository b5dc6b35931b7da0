package dev.payrail.idempotency;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A key an operation wants to take, with the answer it will have given if it does: what a batch writer inserts
 * through {@link IdempotencyKeys#claims()} in the same statement as the operation's own rows.
 *
 * @param operation   what the key is used for (e.g. {@code payment.create}); the same key for another operation
 *                    is a conflict
 * @param requestHash {@link RequestHash} of the request as understood
 * @param resourceId  what the operation created, if anything
 */
public record Claim(IdempotencyKey key, String operation, String requestHash, @Nullable UUID resourceId,
                    StoredAnswer answer, Instant createdAt, Instant expiresAt) {}
