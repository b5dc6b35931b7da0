package dev.payrail.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.payrail.support.IntegrationTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The loop the webhook-event and search-index consumers run on, against the embedded Kafka: a handler that fails
 * gets the same records again (nothing is skipped), and offsets are committed only after a handler returned, so a
 * new consumer of the group starts after what was handled, not before and not after anything unhandled.
 */
@IntegrationTest
class TopicBatchConsumerIT {

    @Autowired
    KafkaAdmin kafkaAdmin;

    @Test
    void aFailedBatchIsReadAgainAndAHandledOneIsNotReadTwice() throws Exception {
        String topic = "batch-consumer-" + UUID.randomUUID();
        String group = "batch-consumer-test-" + UUID.randomUUID();
        kafkaAdmin.createOrModifyTopics(TopicBuilder.name(topic).partitions(1).replicas(1).build());
        send(topic, "one", "two", "three");

        List<String> handled = new CopyOnWriteArrayList<>();
        AtomicBoolean failedOnce = new AtomicBoolean();
        Worker first = TopicBatchConsumer.worker(new TopicBatchConsumer.Group("batch-test-1", group, 100),
                new SimpleMeterRegistry(), kafkaAdmin, topic, records -> {
                    if (failedOnce.compareAndSet(false, true)) {
                        throw new IllegalStateException("the database is away");
                    }
                    records.forEach(r -> handled.add(r.value()));
                });
        first.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() >= 3);
        } finally {
            first.stop();
        }
        assertThat(failedOnce).isTrue();
        assertThat(handled).containsExactly("one", "two", "three");

        send(topic, "four");
        List<String> later = new CopyOnWriteArrayList<>();
        Worker second = TopicBatchConsumer.worker(new TopicBatchConsumer.Group("batch-test-2", group, 100),
                new SimpleMeterRegistry(), kafkaAdmin, topic, records -> records.forEach(r -> later.add(r.value())));
        second.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> !later.isEmpty());
        } finally {
            second.stop();
        }
        assertThat(later).containsExactly("four");
    }

    private void send(String topic, String... values) throws Exception {
        Map<String, Object> settings = new HashMap<>(kafkaAdmin.getConfigurationProperties());
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (var producer = new KafkaProducer<String, String>(settings)) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, "k", value)).get(30, TimeUnit.SECONDS);
            }
        }
    }
}
