package dev.payrail.acquirer;

/** PLACEHOLDER (replaced by the acquirers branch at merge). */
public record RefundRequest(String reference, String authorizationReference, long amount, String currency) {}
