package dev.payrail.acquirer;

import dev.payrail.vault.VaultedCard;

/**
 * An authorization to ask for: the caller's reference (the payment id: the acquirer-side idempotency key), the
 * amount in minor units of {@code currency} (ISO 4217, upper case), and the card opened from the vault. The card
 * number and CVC are {@link dev.payrail.platform.Sensitive}, so this record prints without them.
 */
public record Authorization(String reference, long amount, String currency, VaultedCard card, int expMonth,
                            int expYear) {}
