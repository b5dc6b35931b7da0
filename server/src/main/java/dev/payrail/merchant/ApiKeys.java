package dev.payrail.merchant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Merchant API keys: {@code sk_live_} + 32 hex digits (128 random bits). Stored as SHA-256 only. A slow
 * password hash is not needed here: the key is random, not chosen by a person, so there is nothing to guess,
 * and a fast hash keeps authentication off the hot path's critical cost.
 */
public final class ApiKeys {

    public static final Pattern FORMAT = Pattern.compile("sk_(live|test)_[0-9a-f]{32}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int PREFIX_LENGTH = 12;

    private ApiKeys() {}

    public static String generate() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return "sk_live_" + HexFormat.of().formatHex(bytes);
    }

    public static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What may be shown after creation, e.g. {@code sk_live_0b85…}. */
    public static String prefix(String key) {
        return key.substring(0, Math.min(PREFIX_LENGTH, key.length())) + "…";
    }
}
