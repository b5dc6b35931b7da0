package dev.payrail.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/** A master key is 32 or more random bytes in base64; anything else is refused with a line naming the setting. */
class MasterKeyTest {

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
