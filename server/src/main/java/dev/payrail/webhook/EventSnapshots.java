package dev.payrail.webhook;

import dev.payrail.payment.PaymentAttempts;
import dev.payrail.payment.PaymentEvent;
import dev.payrail.payment.PaymentView;
import dev.payrail.payment.Payments;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns an internal event from the {@code payments} topic into the merchant-facing event: its type, the
 * merchant, and {@code data}, the object's snapshot. For payments that is the payment as
 * {@code GET /v1/payments/{id}} shows it (which also carries the prototype's flat fields {@code payment_id,
 * merchant_id, amount, currency, status, created_at}), with the status the event announces; for refunds the refund
 * as its event describes it. Other internal events are not merchant-facing.
 */
@Component
class EventSnapshots {

    static final Set<String> PAYMENT_OUTCOMES = Set.of("payment.approved", "payment.declined", "payment.failed");
    static final Set<String> REFUND_EVENTS = Set.of("refund.succeeded", "refund.failed");

    private final Payments payments;
    private final PaymentAttempts attempts;
    private final JsonMapper json;

    EventSnapshots(Payments payments, PaymentAttempts attempts, JsonMapper json) {
        this.payments = payments;
        this.attempts = attempts;
        this.json = json;
    }

    /** The merchant-facing event for an {@code EventEnvelope} read from Kafka, if it is one. */
    Optional<WebhookEvents.Event> of(JsonNode envelope) {
        String type = envelope.path("event_type").asString("");
        if (!WebhookEndpoints.EVENT_TYPES.contains(type)) {
            return Optional.empty();
        }
        UUID eventId = UUID.fromString(envelope.path("event_id").asString());
        UUID objectId = UUID.fromString(envelope.path("aggregate_id").asString());
        Instant occurredAt = Instant.parse(envelope.path("occurred_at").asString());
        JsonNode data = envelope.path("data");
        UUID merchantId = UUID.fromString(data.path("merchant_id").asString());
        ObjectNode snapshot;
        if (PaymentEvent.PaymentCreated.TYPE.equals(type)) {
            snapshot = json.valueToTree(PaymentView.of(json.treeToValue(data, PaymentEvent.PaymentCreated.class)));
        } else if (PAYMENT_OUTCOMES.contains(type)) {
            snapshot = paymentNow(objectId).orElseGet(() -> (ObjectNode) data.deepCopy());
            snapshot.put("status", type.substring("payment.".length()));
        } else {
            // Refunds: the refund object as its event describes it (built by the refund module).
            snapshot = (ObjectNode) data.deepCopy();
        }
        return Optional.of(new WebhookEvents.Event(eventId, merchantId, type, objectId, occurredAt,
                json.writeValueAsString(snapshot)));
    }

    private Optional<ObjectNode> paymentNow(UUID paymentId) {
        return payments.find(paymentId).map(p -> json.valueToTree(PaymentView.of(p, attempts.of(paymentId))));
    }
}
