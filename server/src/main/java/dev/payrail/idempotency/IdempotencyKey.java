package dev.payrail.idempotency;

import java.util.Comparator;
import java.util.UUID;

/**
 * The unit idempotency is decided on: one merchant's key. Two merchants may send the same string and get two
 * independent results.
 */
public record IdempotencyKey(UUID merchantId, String key) {

    /** The order keys are inserted in, so two batches can never wait on each other's keys (no deadlock). */
    public static final Comparator<IdempotencyKey> INSERT_ORDER =
            Comparator.comparing(IdempotencyKey::merchantId).thenComparing(IdempotencyKey::key);
}
