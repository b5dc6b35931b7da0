package dev.payrail.processing;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The README's test-card table as the processing tests read it: the status each card ends in and, with every
 * acquirer up and the default route, the deciding acquirer, decline code and the acquirers tried in order.
 */
record TestCards(String card, String status, String acquirer, @Nullable String declineCode, List<String> tried) {

    static final List<TestCards> TABLE = List.of(
            new TestCards("4242424242424242", "approved", "alpha", null, List.of("alpha")),
            new TestCards("4000000000000002", "declined", "alpha", "generic_decline", List.of("alpha")),
            new TestCards("4000000000009995", "declined", "alpha", "insufficient_funds", List.of("alpha")),
            new TestCards("4000000000000069", "declined", "alpha", "expired_card", List.of("alpha")),
            new TestCards("4000000000000119", "declined", "gamma", "processing_error", List.of("alpha", "beta", "gamma")),
            new TestCards("4000000000000101", "approved", "beta", null, List.of("alpha", "beta")),
            new TestCards("4000000000000259", "approved", "alpha", null, List.of("alpha")));

    /** The body of a card payment with this card. */
    String paymentBody(String orderId) {
        return """
                {"amount":4200,"currency":"EUR","order_id":"%s",
                 "payment_method":{"type":"card","number":"%s","exp_month":12,"exp_year":2034,"cvc":"123"}}"""
                .formatted(orderId, card);
    }
}
