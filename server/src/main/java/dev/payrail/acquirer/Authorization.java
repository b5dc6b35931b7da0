package dev.payrail.acquirer;

import dev.payrail.vault.VaultedCard;
import org.jspecify.annotations.Nullable;

/**
 * An authorization to ask for: the caller's reference (the payment id: the acquirer-side idempotency key), the
 * amount in minor units of {@code currency} (ISO 4217, upper case), and the card opened from the vault (null for a payment made without a card). The card
 * number and CVC are {@link dev.payrail.platform.Sensitive}, so this record prints without them.
 */
public record Authorization(String reference, long amount, String currency, @Nullable VaultedCard card, int expMonth,
                            int expYear) {}
