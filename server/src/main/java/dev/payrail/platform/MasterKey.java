package dev.payrail.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The one secret Payrail needs to protect the others: a 256-bit key from {@code PAYRAIL_MASTER_KEY} (base64),
 * or in embedded mode a key generated once into {@code <data dir>/secrets/master.key}. Sub-keys are derived
 * per purpose with HMAC-SHA256, so card fingerprints and encrypted merchant secrets never share a key.
 * Uses only the JDK's JCA (AES-GCM, HMAC-SHA256): no extra crypto library is needed for these two primitives.
 */
@Component
public class MasterKey {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int GCM_NONCE_BYTES = 12;

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

    public MasterKey(@Value("${payrail.master.key:}") String configured,
                     @Value("${payrail.embedded.active:false}") boolean embedded,
                     @Value("${payrail.data.dir:./data}") String dataDir) {
        this.master = load(configured, embedded, Path.of(dataDir));
        this.fingerprintKey = new SecretKeySpec(derive(master, "card-fingerprint"), "HmacSHA256");
        this.encryptionKey = new SecretKeySpec(derive(master, "secret-encryption"), "AES");
    }

    private static byte[] load(String configured, boolean embedded, Path dataDir) {
        if (configured != null && !configured.isBlank()) {
            byte[] key = Base64.getDecoder().decode(configured.trim());
            if (key.length < 32) {
                throw new IllegalStateException("PAYRAIL_MASTER_KEY must be at least 32 bytes, base64-encoded");
            }
            return key;
        }
        if (!embedded) {
            throw new IllegalStateException("PAYRAIL_MASTER_KEY is required with an external database "
                    + "(32 random bytes, base64: `head -c 32 /dev/urandom | base64`)");
        }
        Path file = dataDir.resolve("secrets").resolve("master.key");
        try {
            if (Files.exists(file)) {
                return Base64.getDecoder().decode(Files.readString(file).trim());
            }
            Files.createDirectories(file.getParent());
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            Files.writeString(file, Base64.getEncoder().encodeToString(key));
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system; the directory's own permissions apply
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
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
