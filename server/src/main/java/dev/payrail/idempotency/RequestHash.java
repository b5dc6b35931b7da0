package dev.payrail.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import tools.jackson.databind.json.JsonMapper;

/**
 * SHA-256 over a request as the operation understood it (a record of the validated fields, card numbers
 * replaced by their fingerprints), so whitespace and field order do not matter but any change of meaning does.
 */
public final class RequestHash {

    private RequestHash() {}

    public static String of(JsonMapper json, Object understoodRequest) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(json.writeValueAsString(understoodRequest).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
