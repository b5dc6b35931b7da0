package dev.payrail.vault;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A card as the vault stores it (its components are the table's columns): AES-GCM boxes (nonce + ciphertext +
 * tag) of the number ({@code panEnc}) and the CVC ({@code cvcEnc}), the id of the key that sealed them, and the
 * token a payment refers to it by. Holds no plain card data.
 */
public record SealedCard(UUID token, UUID paymentId, String keyId, byte[] panEnc, byte @Nullable [] cvcEnc,
                         Instant createdAt) {

    @Override
    public String toString() {
        return "SealedCard[token=" + token + ", paymentId=" + paymentId + ", keyId=" + keyId + "]";
    }
}
