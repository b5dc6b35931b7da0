package dev.payrail.vault;

import dev.payrail.platform.Sensitive;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A card opened from the vault for the one call that needs it (an authorization). The number and the CVC are
 * {@link Sensitive}, so printing this record shows {@code ****}. The CVC is null once the payment is final.
 */
public record VaultedCard(UUID token, UUID paymentId, Sensitive number, @Nullable Sensitive cvc) {}
