package dev.payrail.routing;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One routing rule: conditions (each null one matches anything), a priority (lower first) and the acquirers it
 * sends a matching payment to. The first choice is drawn by weight among the targets that have one,
 * deterministically per payment (with no weights at all, it is the first target); the other targets follow in
 * their listed order, as the cascade.
 */
public record RoutingRule(UUID ruleId, String name, int priority, boolean enabled, @Nullable UUID merchantId,
                          @Nullable String currency, @Nullable String binFrom, @Nullable String binTo,
                          @Nullable String cardCountry, List<Target> targets, Instant createdAt, Instant updatedAt) {

    public RoutingRule {
        targets = List.copyOf(targets);
    }

    /**
     * An acquirer of a rule and its weight in the draw for the first choice; 0 (no weight given) keeps it out of the
     * draw, so it is only tried in the cascade.
     */
    public record Target(String acquirer, int weight) {}

    /** Whether every condition this rule names holds for the payment; a disabled rule matches nothing. */
    boolean matches(RoutingFacts facts) {
        return enabled
                && (merchantId == null || merchantId.equals(facts.merchantId()))
                && (currency == null || currency.equals(facts.currency()))
                && (cardCountry == null || cardCountry.equals(facts.cardCountry()))
                && binMatches(facts.cardDigits());
    }

    /** The card's first digits, as many as the range has, lie within it (same length: text order is number order). */
    private boolean binMatches(@Nullable String cardDigits) {
        if (binFrom == null || binTo == null) {
            return true;
        }
        if (cardDigits == null || cardDigits.length() < binFrom.length()) {
            return false;
        }
        String prefix = cardDigits.substring(0, binFrom.length());
        return prefix.compareTo(binFrom) >= 0 && prefix.compareTo(binTo) <= 0;
    }
}
