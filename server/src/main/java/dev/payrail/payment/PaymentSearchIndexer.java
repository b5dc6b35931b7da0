package dev.payrail.payment;

import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import dev.payrail.platform.TopicBatchConsumer;
import dev.payrail.platform.Worker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.UUID;
import lombok.RequiredArgsConstructor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fills {@code payment_search}, what the operators' {@code q} searches (V16), from the {@code payments} topic
 * (consumer group {@code payrail-search}, admin role): for each {@code payment.created} the payment's search text,
 * read from the payment row itself, so it is the same expression as {@link Payments#SEARCH_TEXT}. The trigram
 * index's upkeep (~100 keys per payment) happens here, in one statement per poll, instead of inside the intake's
 * group commit. Inserting an indexed payment again changes nothing, so a poll replayed after a crash is harmless
 * and a new group reading the topic from its start fills what it finds missing.
 */
@Component
@RequiredArgsConstructor
@ConditionalOnRole(Role.ADMIN)
class PaymentSearchIndexer {

    static final TopicBatchConsumer.Group GROUP = new TopicBatchConsumer.Group("payment-search-indexer",
            "payrail-search", 2_000);

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final KafkaAdmin kafka;

    @Bean
    Worker paymentSearchIndexerWorker(PayrailProperties properties, MeterRegistry meters) {
        Counter indexed = Counter.builder("payrail.payments.search.indexed")
                .description("payments made searchable by the operators' q").register(meters);
        return TopicBatchConsumer.worker(GROUP, meters, kafka, properties.topics().payments(),
                records -> indexCreated(records, indexed));
    }

    private void indexCreated(List<ConsumerRecord<String, String>> records, Counter indexed) {
        List<UUID> created = TopicBatchConsumer.readEach(records, value -> {
            JsonNode envelope = json.readTree(value);
            return PaymentEvent.PaymentCreated.TYPE.equals(envelope.path("event_type").asString(""))
                    ? List.of(UUID.fromString(envelope.path("aggregate_id").asString())) : List.of();
        });
        if (!created.isEmpty()) {
            indexed.increment(index(created));
        }
    }

    /** Makes these payments searchable; how many were not yet. */
    int index(List<UUID> paymentIds) {
        return jdbc.sql("insert into payment_search (payment_id, search_text) select p.payment_id, "
                        + Payments.SEARCH_TEXT + " from payments p where p.payment_id = any(:ids)"
                        + " on conflict (payment_id) do nothing")
                .param("ids", paymentIds.toArray(UUID[]::new))
                .update();
    }
}
