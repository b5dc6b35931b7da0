package dev.payrail.webhook;

import dev.payrail.payment.Payment;
import dev.payrail.payment.PaymentAttempt;
import dev.payrail.payment.PaymentAttempts;
import dev.payrail.payment.PaymentEvent;
import dev.payrail.payment.PaymentView;
import dev.payrail.payment.Payments;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import lombok.RequiredArgsConstructor;
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
@RequiredArgsConstructor
class EventSnapshots {

    static final Set<String> PAYMENT_OUTCOMES = Set.of("payment.approved", "payment.declined", "payment.failed");
    static final Set<String> REFUND_EVENTS = Set.of("refund.succeeded", "refund.failed");

    private final Payments payments;
    private final PaymentAttempts attempts;
    private final JsonMapper json;

    /**
     * An envelope read as far as it can be without the database. {@code snapshot} is final for a
     * {@code payment.created} and a refund event (the envelope carries the object); for a payment outcome it is
     * the fallback used when the payment cannot be read, and {@link #of(List)} replaces it with the payment now.
     */
    record Read(UUID eventId, UUID merchantId, String type, UUID objectId, Instant occurredAt, ObjectNode snapshot) {

        boolean isPaymentOutcome() {
            return PAYMENT_OUTCOMES.contains(type);
        }
    }

    /**
     * The envelope ({@code EventEnvelope} read from Kafka) if it is a merchant-facing event; throws when it is
     * malformed, so the caller can skip that one record.
     */
    Optional<Read> read(JsonNode envelope) {
        String type = envelope.path("event_type").asString("");
        if (!WebhookEndpoints.EVENT_TYPES.contains(type)) {
            return Optional.empty();
        }
        UUID eventId = UUID.fromString(envelope.path("event_id").asString());
        UUID objectId = UUID.fromString(envelope.path("aggregate_id").asString());
        Instant occurredAt = Instant.parse(envelope.path("occurred_at").asString());
        JsonNode data = envelope.path("data");
        UUID merchantId = UUID.fromString(data.path("merchant_id").asString());
        ObjectNode snapshot = PaymentEvent.PaymentCreated.TYPE.equals(type)
                ? json.valueToTree(PaymentView.of(json.treeToValue(data, PaymentEvent.PaymentCreated.class)))
                // Refunds: the refund object as its event describes it (built by the refund module).
                : (ObjectNode) data.deepCopy();
        return Optional.of(new Read(eventId, merchantId, type, objectId, occurredAt, snapshot));
    }

    /**
     * The merchant-facing events, in order. A payment outcome carries the payment as it is now (with its
     * attempts), with the status the event announces; all the payments of the list are read in two queries.
     */
    List<WebhookEvents.Event> of(List<Read> reads) {
        Set<UUID> outcomeOf = reads.stream().filter(Read::isPaymentOutcome).map(Read::objectId)
                .collect(Collectors.toSet());
        Map<UUID, Payment> paymentsNow = payments.findAll(outcomeOf);
        Map<UUID, List<PaymentAttempt>> attemptsNow = attempts.ofAll(paymentsNow.keySet());
        return reads.stream().map(read -> {
            ObjectNode snapshot = read.snapshot();
            if (read.isPaymentOutcome()) {
                Payment now = paymentsNow.get(read.objectId());
                snapshot = now == null ? snapshot.deepCopy()
                        : json.valueToTree(PaymentView.of(now, attemptsNow.getOrDefault(now.paymentId(), List.of())));
                snapshot.put("status", read.type().substring("payment.".length()));
            }
            return new WebhookEvents.Event(read.eventId(), read.merchantId(), read.type(), read.objectId(),
                    read.occurredAt(), json.writeValueAsString(snapshot));
        }).toList();
    }
}
