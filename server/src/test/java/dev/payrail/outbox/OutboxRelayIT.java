package dev.payrail.outbox;

import static dev.payrail.support.Http.SEED_BODY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.payrail.embedded.EmbeddedInfrastructure;
import dev.payrail.support.Http;
import dev.payrail.support.IntegrationTest;
import dev.payrail.support.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class OutboxRelayIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    EmbeddedInfrastructure infrastructure;

    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    @Test
    void createdEventReachesTopicPaymentsKeyedByPaymentIdWithAUniqueEventId() {
        String id = Json.parse(http.createPayment("/v1/payments", "evt-" + UUID.randomUUID(), SEED_BODY).body())
                .get("payment_id").asString();

        List<ConsumerRecord<String, String>> records = consumeUntil(Set.of(id), Duration.ofSeconds(60));

        ConsumerRecord<String, String> event = records.stream().filter(r -> id.equals(r.key())).findFirst().orElseThrow();
        JsonNode envelope = Json.parse(event.value());
        assertThat(envelope.get("event_type").asString()).isEqualTo("payment.created");
        assertThat(envelope.get("data").get("payment_id").asString()).isEqualTo(id);
        String eventId = envelope.get("event_id").asString();
        assertThat(new String(event.headers().lastHeader("event_id").value(), StandardCharsets.UTF_8)).isEqualTo(eventId);
        assertThat(jdbc.sql("select published_at is not null from outbox where event_id = ?")
                .param(UUID.fromString(eventId)).query(Boolean.class).single()).isTrue();
    }

    @Test
    void paymentsAreAcceptedWhileKafkaIsDownAndTheirEventsFlowWhenItIsBack() {
        Set<String> ids = new HashSet<>();
        infrastructure.stopKafka();
        try {
            for (int i = 0; i < 5; i++) {
                var response = http.createPayment("/v1/payments", "outage-" + UUID.randomUUID(), SEED_BODY);
                assertThat(response.statusCode()).isEqualTo(201);
                ids.add(Json.parse(response.body()).get("payment_id").asString());
            }
            assertThat(unpublished(ids)).isEqualTo(5);
        } finally {
            infrastructure.restartKafka();
        }
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(unpublished(ids)).isZero());
        List<ConsumerRecord<String, String>> records = consumeUntil(ids, Duration.ofSeconds(60));
        assertThat(records.stream().map(ConsumerRecord::key)).containsAll(ids);
    }

    private long unpublished(Set<String> paymentIds) {
        return jdbc.sql("select count(*) from outbox where published_at is null and aggregate_id = any(?::uuid[])")
                .param(paymentIds.toArray(String[]::new)).query(Long.class).single();
    }

    private List<ConsumerRecord<String, String>> consumeUntil(Set<String> keys, Duration timeout) {
        Map<String, Object> config = new HashMap<>(infrastructure.kafkaClientProperties());
        config.putAll(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        Set<String> missing = new HashSet<>(keys);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (var consumer = new KafkaConsumer<String, String>(config)) {
            consumer.subscribe(List.of("payments"));
            while (!missing.isEmpty() && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    seen.add(record);
                    missing.remove(record.key());
                }
            }
        }
        assertThat(missing).as("payment ids whose event never reached Kafka").isEmpty();
        return seen;
    }
}
