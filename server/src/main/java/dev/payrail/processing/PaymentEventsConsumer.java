package dev.payrail.processing;

import dev.payrail.payment.PaymentEvent;
import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import dev.payrail.platform.Worker;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The processing role's Kafka consumer (group {@code payrail-processing}, topic {@code payments}). Each poll's
 * records are grouped by key — the payment id — and every payment is processed on a virtual thread of its own,
 * its records in order, so a slow acquirer delays only its own payments. Offsets are committed only after every
 * record of the poll has been handled, i.e. after the database commits that settled them; when any fails, the
 * consumer seeks back and the whole poll is handled again (handling is idempotent: a settled payment is skipped,
 * an attempt is never made twice).
 */
@Component
@ConditionalOnRole(Role.PROCESSING)
class PaymentEventsConsumer {

    private static final Logger log = LoggerFactory.getLogger(PaymentEventsConsumer.class);
    static final String GROUP = "payrail-processing";
    private static final Duration POLL_WAIT = Duration.ofMillis(200);
    private static final int POLL_RECORDS_MAX = 500;

    private final PaymentProcessor processor;
    private final ProcessingSlots slots;
    private final JsonMapper json;
    private final Map<String, Object> kafkaSettings;
    private final String topic;
    private final ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
    private Consumer<String, String> consumer;

    PaymentEventsConsumer(PaymentProcessor processor, ProcessingSlots slots, JsonMapper json, KafkaAdmin kafkaAdmin,
                          PayrailProperties properties) {
        this.processor = processor;
        this.slots = slots;
        this.json = json;
        this.topic = properties.topics().payments();
        // The admin client's settings hold the bootstrap servers and any security settings of this deployment.
        this.kafkaSettings = new HashMap<>(kafkaAdmin.getConfigurationProperties());
    }

    @Bean
    Worker paymentEventsConsumerWorker(MeterRegistry meters) {
        return Worker.named("processing-consumer", meters)
                // In embedded mode the acquirers are this node's own simulators: consume only once they are served,
                // or a backlog at start-up would find every acquirer "unavailable" and fail its payments.
                .phase(Worker.AFTER_WEB_SERVER)
                .idle(Duration.ZERO) // the poll itself waits
                .afterStop(this::close)
                .step(this::pollOnce);
    }

    private Worker.Outcome pollOnce() throws Exception {
        if (consumer == null) {
            consumer = open();
        }
        ConsumerRecords<String, String> records = consumer.poll(POLL_WAIT);
        if (records.isEmpty()) {
            return Worker.Outcome.IDLE;
        }
        Map<UUID, List<ConsumerRecord<String, String>>> byPayment = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            UUID paymentId = paymentToProcess(record);
            if (paymentId != null) {
                byPayment.computeIfAbsent(paymentId, id -> new ArrayList<>()).add(record);
            }
        }
        List<Future<?>> running = new ArrayList<>(byPayment.size());
        for (UUID paymentId : byPayment.keySet()) {
            running.add(virtualThreads.submit(() -> {
                slots.process(processor, paymentId);
                return null;
            }));
        }
        try {
            for (Future<?> task : running) {
                task.get();
            }
        } catch (Exception e) {
            rewind(records);
            throw e;
        }
        consumer.commitSync(nextOffsets(records));
        return Worker.Outcome.WORKED;
    }

    /** The payment a record asks to process, or null for events this role does not act on. */
    private UUID paymentToProcess(ConsumerRecord<String, String> record) {
        try {
            // The relay names the type in a header and keys the record by payment: most records on the topic are
            // later events of a payment, passed over without parsing their JSON.
            Header type = record.headers().lastHeader("event_type");
            if (type != null && record.key() != null) {
                return PaymentEvent.PaymentCreated.TYPE.equals(new String(type.value(), StandardCharsets.UTF_8))
                        ? UUID.fromString(record.key()) : null;
            }
            JsonNode envelope = json.readTree(record.value());
            if (!PaymentEvent.PaymentCreated.TYPE.equals(envelope.path("event_type").asString(""))) {
                return null; // the payment's later events travel on the same topic
            }
            return UUID.fromString(envelope.path("aggregate_id").asString());
        } catch (RuntimeException e) {
            log.error("skipping unreadable record at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return null;
        }
    }

    private void rewind(ConsumerRecords<String, String> records) {
        for (TopicPartition partition : records.partitions()) {
            try {
                consumer.seek(partition, records.records(partition).getFirst().offset());
            } catch (IllegalStateException revoked) {
                // the partition moved to another consumer during the poll; it will handle the records
            }
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<String, String> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            offsets.put(partition, new OffsetAndMetadata(records.records(partition).getLast().offset() + 1));
        }
        return offsets;
    }

    private Consumer<String, String> open() {
        Map<String, Object> config = new HashMap<>(kafkaSettings);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, POLL_RECORDS_MAX);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        var opened = new KafkaConsumer<String, String>(config);
        opened.subscribe(List.of(topic));
        return opened;
    }

    private void close() {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
            consumer = null;
        }
        virtualThreads.close();
    }
}
