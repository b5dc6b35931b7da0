package dev.payrail.idempotency;

/** The first answer given under a key — the operation's own status and exact body — replayed byte for byte. */
public record StoredAnswer(int status, String body) {}
