package dev.payrail.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;

/**
 * The root secret: encryption of stored secrets and card fingerprints, that both survive a restart with the same
 * key, and that a missing or malformed key is refused naming the setting. The generated key file of embedded
 * mode (kept, 0600, same fingerprints after a restart) is covered by {@code SecretFilesTest} and
 * {@code CrashRecoveryIT}.
 */
class MasterKeyTest {

    private static final String PAN = "4242424242424242";
    private static final String KEY_A = Base64.getEncoder().encodeToString("a".repeat(32).getBytes());
    private static final String KEY_B = Base64.getEncoder().encodeToString("b".repeat(32).getBytes());

    private static MasterKey configured(String base64) {
        return new MasterKey(base64);
    }

    @Test
    void aSecretEncryptedWithTheKeyDecryptsToTheSameText() {
        MasterKey key = configured(KEY_A);
        String secret = "whsec_ünïcödé 💸";

        byte[] box = key.encrypt(secret);

        assertThat(new String(box, StandardCharsets.ISO_8859_1)).doesNotContain("whsec");
        assertThat(key.decrypt(box)).isEqualTo(secret);
        assertThat(configured(KEY_A).decrypt(box)).as("a new instance with the same key").isEqualTo(secret);
    }

    @Test
    void theSameSecretEncryptsToADifferentBoxEachTime() {
        MasterKey key = configured(KEY_A);
        assertThat(key.encrypt("same")).isNotEqualTo(key.encrypt("same"));
    }

    @Test
    void aBoxSealedUnderAnotherKeyIsRefusedWithAClearError() {
        byte[] box = configured(KEY_A).encrypt("whsec-1");

        assertThatThrownBy(() -> configured(KEY_B).decrypt(box))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot decrypt a stored secret: wrong PAYRAIL_MASTER_KEY?")
                .hasCauseInstanceOf(AEADBadTagException.class);
    }

    @Test
    void aTamperedBoxIsRefusedWhicheverByteChanged() {
        MasterKey key = configured(KEY_A);
        byte[] box = key.encrypt("whsec-1");
        for (int i = 0; i < box.length; i++) {
            byte[] tampered = box.clone();
            tampered[i] ^= 0x01;
            assertThatThrownBy(() -> key.decrypt(tampered)).as("byte %d flipped", i)
                    .isInstanceOf(IllegalStateException.class)
                    .hasCauseInstanceOf(AEADBadTagException.class);
        }
    }

    @Test
    void theSameConfiguredKeyGivesTheSameCardFingerprintAfterARestartAndAnotherKeyADifferentOne() {
        String fingerprint = configured(KEY_A).cardFingerprint(PAN);

        assertThat(fingerprint).matches("[0-9a-f]{32}");
        assertThat(configured(KEY_A).cardFingerprint(PAN)).isEqualTo(fingerprint);
        assertThat(configured(" " + KEY_A + "\n").cardFingerprint(PAN)).as("surrounding blanks").isEqualTo(fingerprint);
        assertThat(configured(KEY_B).cardFingerprint(PAN)).isNotEqualTo(fingerprint);
        assertThat(configured(KEY_A).cardFingerprint("4000056655665556")).isNotEqualTo(fingerprint);
    }

    @Test
    void aMissingKeyIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> MasterKey.decode(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("PAYRAIL_MASTER_KEY is required with external PostgreSQL and Kafka");
    }

    @Test
    void aKeyThatIsNotBase64IsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> MasterKey.decode("secret-but-not-base64!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("PAYRAIL_MASTER_KEY is not valid base64")
                .message().doesNotContain("secret-but-not-base64");
    }

    @Test
    void aKeyShorterThan32BytesIsRefused() {
        String sixteenBytes = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> MasterKey.decode(sixteenBytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("PAYRAIL_MASTER_KEY holds 16 bytes, fewer than 32");
    }

    @Test
    void aGeneratedKeyIsAccepted() {
        assertThat(MasterKey.decode(MasterKey.generate())).hasSize(32);
        assertThat(new MasterKey(MasterKey.generate()).cardFingerprint("4242424242424242")).hasSize(32);
    }
}
