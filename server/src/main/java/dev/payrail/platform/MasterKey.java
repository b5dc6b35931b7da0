package dev.payrail.platform;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The one secret Payrail needs to protect the others: a 256-bit key from {@code PAYRAIL_MASTER_KEY} (base64),
 * which embedded mode fills from a key generated once into {@code <data dir>/secrets/master.key}. Sub-keys are
 * derived per purpose with HMAC-SHA256, so card fingerprints and encrypted merchant secrets never share a key.
 * Uses only the JDK's JCA (AES-GCM, HMAC-SHA256): no extra crypto library is needed for these two primitives.
 */
@Component
public class MasterKey {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int GCM_NONCE_BYTES = 12;
    private static final int KEY_BYTES_MIN = 32;
    private static final String HOW_TO_GENERATE =
            "32 or more random bytes, base64-encoded (`head -c 32 /dev/urandom | base64`)";

    private final byte[] master;
    private final SecretKeySpec fingerprintKey;
    private final SecretKeySpec encryptionKey;

    /**
     * A key derived for one purpose, with a short id that names it in stored data: when the master key is
     * rotated, rows sealed under the old one are recognised by their key id rather than failing to decrypt.
     */
    public record DataKey(String keyId, SecretKeySpec key) {
        @Override
        public String toString() {
            return "DataKey[" + keyId + "]";
        }
    }

    @Autowired
    public MasterKey(PayrailProperties properties) {
        this(properties.master().key());
    }

    public MasterKey(String configured) {
        // EmbeddedInfrastructure has already refused a missing or malformed key (or generated one in embedded
        // mode) before any bean exists; decoding again here keeps this class safe to construct on its own.
        this.master = decode(configured);
        this.fingerprintKey = new SecretKeySpec(derive(master, "card-fingerprint"), "HmacSHA256");
        this.encryptionKey = new SecretKeySpec(derive(master, "secret-encryption"), "AES");
    }

    /**
     * The key bytes of a {@code PAYRAIL_MASTER_KEY} value. The messages name the setting and never echo the
     * value, because they end up on a terminal or in a log.
     *
     * @throws IllegalArgumentException when the value is blank, not base64, or shorter than 32 bytes
     */
    public static byte[] decode(String base64) {
        if (base64 == null || base64.isBlank()) {
            throw new IllegalArgumentException("PAYRAIL_MASTER_KEY is required with external PostgreSQL and Kafka: "
                    + "set it to " + HOW_TO_GENERATE);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException("PAYRAIL_MASTER_KEY is not valid base64: set it to " + HOW_TO_GENERATE);
        }
        if (key.length < KEY_BYTES_MIN) {
            throw new IllegalArgumentException("PAYRAIL_MASTER_KEY holds " + key.length + " bytes, fewer than "
                    + KEY_BYTES_MIN + ": set it to " + HOW_TO_GENERATE);
        }
        return key;
    }

    /** A new random master key, base64-encoded: what embedded mode stores in its data directory. */
    public static String generate() {
        byte[] key = new byte[KEY_BYTES_MIN];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static byte[] derive(byte[] master, String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master, "HmacSHA256"));
            return mac.doFinal(("payrail:" + purpose).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The AES key for {@code purpose} (e.g. {@code card-vault}) and its id, derived from the master key. */
    public DataKey dataKey(String purpose) {
        byte[] key = derive(master, purpose);
        String keyId = HexFormat.of().formatHex(derive(key, "key-id"), 0, 4);
        return new DataKey(keyId, new SecretKeySpec(key, "AES"));
    }

    /** Keyed fingerprint of a card number: equal cards match, and without the key it reveals nothing. */
    public String cardFingerprint(String pan) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(fingerprintKey);
            byte[] digest = mac.doFinal(pan.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] encrypt(String plaintext) {
        try {
            byte[] nonce = new byte[GCM_NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, encryptionKey, new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String decrypt(byte[] box) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, encryptionKey, new GCMParameterSpec(128, box, 0, GCM_NONCE_BYTES));
            return new String(cipher.doFinal(box, GCM_NONCE_BYTES, box.length - GCM_NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot decrypt a stored secret: wrong PAYRAIL_MASTER_KEY?", e);
        }
    }
}
