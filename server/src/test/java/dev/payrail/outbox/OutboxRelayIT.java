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
import java.util.function.Consumer;
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

        List<ConsumerRecord<String, String>> records = consumeUntil(Set.of(id));

        ConsumerRecord<String, String> event = records.stream().filter(r -> id.equals(r.key())).findFirst().orElseThrow();
        JsonNode envelope = Json.parse(event.value());
        assertThat(envelope.get("event_type").asString()).isEqualTo("payment.created");
        assertThat(envelope.get("data").get("payment_id").asString()).isEqualTo(id);
        String eventId = envelope.get("event_id").asString();
        assertThat(header(event, "event_id")).isEqualTo(eventId);
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
        List<ConsumerRecord<String, String>> records = consumeUntil(ids);
        assertThat(records.stream().map(ConsumerRecord::key)).containsAll(ids);
    }

    /**
     * A relay that dies after Kafka acknowledged a batch but before it committed {@code published_at} leaves the
     * events on Kafka and their rows unpublished; the next relay round publishes them again. Delivery is
     * therefore at-least-once, and the copies carry the same {@code event_id} so a consumer can drop them.
     */
    @Test
    void anEventPublishedAgainAfterACrashBetweenTheKafkaAckAndTheMarkingKeepsItsEventId() {
        String id = Json.parse(http.createPayment("/v1/payments", "dup-" + UUID.randomUUID(), SEED_BODY).body())
                .get("payment_id").asString();
        String eventId = jdbc.sql("select event_id::text from outbox where aggregate_id = ?::uuid "
                        + "and event_type = 'payment.created'").param(id)
                .query(String.class).single();
        await().atMost(Duration.ofSeconds(60)).until(() -> isPublished(eventId));

        // Exactly what the crash leaves behind: the event is on Kafka, its row is not marked.
        assertThat(jdbc.sql("update outbox set published_at = null where event_id = ?::uuid").param(eventId).update())
                .isEqualTo(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> isPublished(eventId));

        // (Processing may add the payment's final event on the same key; only the creation event's copies count.)
        List<ConsumerRecord<String, String>> copies = consume(seen -> assertThat(seen)
                .filteredOn(r -> eventId.equals(header(r, "event_id"))).as("copies of event %s", eventId).hasSize(2))
                .stream().filter(r -> eventId.equals(header(r, "event_id"))).toList();
        for (ConsumerRecord<String, String> copy : copies) {
            JsonNode envelope = Json.parse(copy.value());
            assertThat(header(copy, "event_id")).isEqualTo(eventId);
            assertThat(envelope.get("event_id").asString()).isEqualTo(eventId);
            assertThat(envelope.get("event_type").asString()).isEqualTo("payment.created");
            assertThat(envelope.get("data").get("payment_id").asString()).isEqualTo(id);
        }
        // What every consumer must do: remember the event ids it has handled and skip a copy.
        Set<String> handledEventIds = new HashSet<>();
        List<ConsumerRecord<String, String>> handled = copies.stream()
                .filter(copy -> handledEventIds.add(header(copy, "event_id"))).toList();
        assertThat(handled).containsExactly(copies.getFirst());
    }

    private boolean isPublished(String eventId) {
        return jdbc.sql("select published_at is not null from outbox where event_id = ?::uuid").param(eventId)
                .query(Boolean.class).single();
    }

    /** The header's value, or null (other tests publish records of their own to the topic, without headers). */
    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private long unpublished(Set<String> paymentIds) {
        return jdbc.sql("select count(*) from outbox where published_at is null and aggregate_id = any(?::uuid[])")
                .param(paymentIds.toArray(String[]::new)).query(Long.class).single();
    }

    /** Reads topic payments from the start until every key was seen at least once (at most 60 s). */
    private List<ConsumerRecord<String, String>> consumeUntil(Set<String> keys) {
        return consume(seen -> assertThat(seen.stream().map(ConsumerRecord::key).toList())
                .as("payment ids whose event reached Kafka").containsAll(keys));
    }

    /** Reads topic payments from the start until what was read passes {@code enough} (at most 60 s). */
    private List<ConsumerRecord<String, String>> consume(Consumer<List<ConsumerRecord<String, String>>> enough) {
        Map<String, Object> config = new HashMap<>(infrastructure.kafkaClientProperties());
        config.putAll(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        try (var consumer = new KafkaConsumer<String, String>(config)) {
            consumer.subscribe(List.of("payments"));
            // In the test thread: a KafkaConsumer must not be used from two threads.
            await("records on topic payments").atMost(Duration.ofSeconds(60)).pollInSameThread()
                    .pollInterval(Duration.ofMillis(10))
                    .untilAsserted(() -> {
                        consumer.poll(Duration.ofMillis(500)).forEach(seen::add);
                        enough.accept(seen);
                    });
        }
        return seen;
    }
}
