package dev.payrail.acquirer;

import dev.payrail.vault.VaultedCard;

/** PLACEHOLDER (replaced by the acquirers branch at merge). */
public record Authorization(String reference, long amount, String currency, @org.jspecify.annotations.Nullable VaultedCard card, int expMonth, int expYear) {}
