package dev.payrail.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The root secret: encryption of stored secrets and card fingerprints, and that both survive a restart. */
class MasterKeyTest {

    private static final String PAN = "4242424242424242";
    private static final String KEY_A = Base64.getEncoder().encodeToString("a".repeat(32).getBytes());
    private static final String KEY_B = Base64.getEncoder().encodeToString("b".repeat(32).getBytes());

    @TempDir
    Path dataDir;

    private static MasterKey configured(String base64) {
        return new MasterKey(base64, false, "/nonexistent");
    }

    private MasterKey generatedIn(Path dir) {
        return new MasterKey("", true, dir.toString());
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
    void theKeyGeneratedIntoADataDirIsKeptAndGivesTheSameFingerprintAfterARestart() throws Exception {
        String fingerprint = generatedIn(dataDir).cardFingerprint(PAN);
        Path file = dataDir.resolve("secrets/master.key");
        String stored = Files.readString(file);

        assertThat(Base64.getDecoder().decode(stored.trim())).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(generatedIn(dataDir).cardFingerprint(PAN)).isEqualTo(fingerprint);
        assertThat(Files.readString(file)).as("the key file is not rewritten").isEqualTo(stored);
        assertThat(configured(stored).cardFingerprint(PAN)).as("the same key given as PAYRAIL_MASTER_KEY")
                .isEqualTo(fingerprint);
    }

    @Test
    void anotherDataDirGeneratesAnotherKeyAndSoAnotherFingerprint() {
        String here = generatedIn(dataDir.resolve("one")).cardFingerprint(PAN);
        String there = generatedIn(dataDir.resolve("two")).cardFingerprint(PAN);
        assertThat(there).isNotEqualTo(here);
    }

    @Test
    void aShortKeyOrNoKeyWithAnExternalDatabaseStopsTheStart() {
        String short31 = Base64.getEncoder().encodeToString(new byte[31]);
        assertThatThrownBy(() -> configured(short31)).isInstanceOf(IllegalStateException.class)
                .hasMessage("PAYRAIL_MASTER_KEY must be at least 32 bytes, base64-encoded");
        assertThatThrownBy(() -> configured("")).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("PAYRAIL_MASTER_KEY is required with an external database");
    }
}
