package dev.payrail.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook signatures. Standard Webhooks ({@code webhook-signature: v1,<base64 HMAC-SHA256 over id.timestamp.body>}
 * keyed with the base64-decoded part of a {@code whsec_} secret), so any Standard Webhooks library verifies them,
 * and the prototype's {@code X-Signature} (hex HMAC-SHA256 of the raw body keyed with the merchant's api_secret).
 */
public final class Signatures {

    public static final String SECRET_PREFIX = "whsec_";
    private static final int SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Signatures() {}

    /** A new secret in the Standard Webhooks format: {@code whsec_} + base64 of 32 random bytes. */
    public static String newSecret() {
        byte[] key = new byte[SECRET_BYTES];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The key bytes of a {@code whsec_} secret (the prefix is optional, as in the libraries). */
    static byte[] keyOf(String secret) {
        String base64 = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        return Base64.getDecoder().decode(base64);
    }

    /** One {@code v1,<base64>} signature of {@code id.timestamp.body}. */
    public static String standard(String secret, String id, long timestamp, byte[] body) {
        byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        return "v1," + Base64.getEncoder().encodeToString(hmac(keyOf(secret), signed));
    }

    /** The {@code webhook-signature} header: one signature per live secret, space-separated. */
    public static String standardHeader(List<String> secrets, String id, long timestamp, byte[] body) {
        return String.join(" ", secrets.stream().map(s -> standard(s, id, timestamp, body)).toList());
    }

    /** The prototype's {@code X-Signature}: hex HMAC-SHA256 of the raw body with the merchant's api_secret. */
    public static String legacy(String apiSecret, byte[] body) {
        return HexFormat.of().formatHex(hmac(apiSecret.getBytes(StandardCharsets.UTF_8), body));
    }

    /** Whether one of the space-separated {@code v1,} signatures in {@code header} matches {@code secret}. */
    public static boolean verifyStandard(String secret, String header, String id, long timestamp, byte[] body) {
        byte[] expected = standard(secret, id, timestamp, body).getBytes(StandardCharsets.US_ASCII);
        for (String candidate : header.trim().split(" +")) {
            if (MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }

    public static boolean verifyLegacy(String apiSecret, String header, byte[] body) {
        return MessageDigest.isEqual(legacy(apiSecret, body).getBytes(StandardCharsets.US_ASCII),
                header.trim().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
