package dev.payrail.idempotency;

import dev.payrail.platform.ApiProblem;
import java.util.Comparator;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * The unit idempotency is decided on: one merchant's key. Two merchants may send the same string and get two
 * independent results.
 */
public record IdempotencyKey(UUID merchantId, String key) {

    /** The order keys are inserted in, so two batches can never wait on each other's keys (no deadlock). */
    public static final Comparator<IdempotencyKey> INSERT_ORDER =
            Comparator.comparing(IdempotencyKey::merchantId).thenComparing(IdempotencyKey::key);

    /** The longest key accepted (the column holds more; clients' keys are UUIDs or shorter). */
    public static final int LENGTH_MAX = 255;

    /**
     * The {@code Idempotency-Key} header of any POST, checked: null when absent, else the key, or 400
     * {@code idempotency_key_invalid} / {@code idempotency_key_too_long}. Printable ASCII only: Tomcat hands
     * header bytes over as ISO-8859-1, so a UTF-8 key such as {@code clé} would arrive as {@code clÃ©} and be
     * stored mis-decoded; refusing everything outside 0x20-0x7E leaves no reading of the key but one. (Tomcat
     * itself refuses other control characters in headers.)
     */
    public static @Nullable String fromHeader(@Nullable String header) {
        if (header == null) {
            return null;
        }
        if (header.isBlank() || !isPrintableAscii(header)) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "idempotency_key_invalid",
                    "Idempotency-Key must be non-empty printable ASCII (0x20-0x7E).");
        }
        if (header.length() > LENGTH_MAX) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "idempotency_key_too_long",
                    "Idempotency-Key must be at most " + LENGTH_MAX + " characters.");
        }
        return header;
    }

    /** Whether a stored key could look like this (for filters: a key that cannot exist needs no query). */
    public static boolean isWellFormed(String key) {
        return !key.isBlank() && key.length() <= LENGTH_MAX && isPrintableAscii(key);
    }

    private static boolean isPrintableAscii(String text) {
        return text.chars().allMatch(ch -> ch >= 0x20 && ch <= 0x7e);
    }
}
