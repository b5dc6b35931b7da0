package dev.payrail.merchant;

import java.time.Instant;
import java.util.UUID;

/** A merchant: who owns payments and where their webhooks go. Secrets are kept apart, encrypted. */
public record Merchant(UUID merchantId, String name, String webhookUrl, Instant createdAt) {}
