package dev.payrail.payment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.payrail.outbox.EventEnvelope;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** The internal schema of payment events, and the merchant-facing view derived from it. */
class PaymentEventTest {

    private final JsonMapper json = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    private final Payment payment = new Payment(UUID.fromString("019abcde-0000-7000-8000-000000000001"),
            UUID.fromString("0b85ac22-a90a-4019-b0e7-9d07b672cf34"), 2500, "EUR", PaymentStatus.PROCESSING, "1001",
            "2 t-shirts", "order-1001", new PaymentRequest.Customer("buyer@example.com", "203.0.113.7", "DE"),
            new Payment.CardSummary("424242", "4242", "f".repeat(32), 12, 2030,
                    UUID.fromString("5f0c6d52-1111-4222-8333-444455556666")),
            Instant.parse("2026-11-27T10:15:30.123456Z"), Instant.parse("2026-11-27T10:15:30.123456Z"));

    @Test
    void paymentCreatedHasItsOwnVersionedSchemaWithTheCardByTokenOnly() {
        var created = PaymentEvent.PaymentCreated.of(payment);
        JsonNode data = json.readTree(json.writeValueAsString(created));

        assertThat(created.eventType()).isEqualTo("payment.created");
        assertThat(created.eventVersion()).isEqualTo(1);
        assertThat(created.aggregateId()).isEqualTo(payment.paymentId());
        assertThat(names(data)).containsExactly("payment_id", "merchant_id", "amount", "currency", "order_id",
                "description", "idempotency_key", "customer", "card", "created_at");
        assertThat(names(data.get("card"))).containsExactly("vault_token", "bin", "last4", "fingerprint",
                "exp_month", "exp_year");
        assertThat(data.get("card").get("vault_token").asString()).isEqualTo("5f0c6d52-1111-4222-8333-444455556666");
        assertThat(json.treeToValue(data, PaymentEvent.PaymentCreated.class)).isEqualTo(created);
    }

    @Test
    void theMerchantViewIsDerivedFromTheEventAndEqualsTheApiAnswer() {
        var created = PaymentEvent.PaymentCreated.of(payment);

        PaymentView fromEvent = PaymentView.of(created);

        assertThat(fromEvent).isEqualTo(PaymentView.of(payment));
        assertThat(json.writeValueAsString(fromEvent)).doesNotContain("vault_token")
                .doesNotContain("5f0c6d52-1111-4222-8333-444455556666");
        assertThat(fromEvent.status()).isEqualTo("processing");
    }

    @Test
    void theEnvelopeCarriesTheEventFieldsUnderData() {
        var created = PaymentEvent.PaymentCreated.of(payment);
        var envelope = new EventEnvelope(UUID.randomUUID(), created.eventType(), created.eventVersion(),
                created.aggregateId(), payment.createdAt(), created);

        JsonNode tree = json.readTree(json.writeValueAsString(envelope));

        assertThat(names(tree)).containsExactly("event_id", "event_type", "event_version", "aggregate_id",
                "occurred_at", "data");
        assertThat(tree.get("data").get("amount").asLong()).isEqualTo(2500);
    }

    private static List<String> names(JsonNode node) {
        return node.propertyNames().stream().toList();
    }
}
