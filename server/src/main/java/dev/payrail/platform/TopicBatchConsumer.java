package dev.payrail.platform;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * A consumer group that handles each poll as one batch: the handler writes what the records mean (typically in one
 * database transaction), and only after it returned are the offsets committed. A handler that throws has the poll
 * rewound, so the same records come again (the worker pauses after a failed step); a crash between the handler's
 * commit and the offsets' replays the poll. Handlers are therefore idempotent — that is the contract.
 *
 * <p>Written by hand over the plain Kafka client, like the processing role's consumer, rather than with Spring
 * Kafka's listener containers: the loop is a few lines, runs on Payrail's own {@link Worker} (same start, stop,
 * back-off and metrics as every background job), and the commit-after-handling order is explicit here.
 */
public final class TopicBatchConsumer {

    /** What a poll's records mean; throws (nothing committed) when they could not be handled. */
    @FunctionalInterface
    public interface Handler {
        void handle(List<ConsumerRecord<String, String>> records);
    }

    /**
     * Who consumes: the worker's name (its thread and metrics), the Kafka consumer group, and the most records one
     * poll hands to the handler.
     */
    public record Group(String workerName, String groupId, int pollRecordsMax) {}

    private static final Logger log = LoggerFactory.getLogger(TopicBatchConsumer.class);
    private static final Duration POLL_WAIT = Duration.ofMillis(200);

    private final Map<String, Object> settings;
    private final String topic;
    private final Handler handler;
    private Consumer<String, String> consumer;

    private TopicBatchConsumer(Map<String, Object> connection, String group, String topic, int pollRecordsMax,
                               Handler handler) {
        this.settings = KafkaConsumerSettings.of(connection, group, pollRecordsMax);
        this.topic = topic;
        this.handler = handler;
    }

    /**
     * The worker that runs the group's loop (register it as a bean).
     *
     * @param kafka whose settings hold this deployment's bootstrap servers and security settings
     */
    public static Worker worker(Group group, MeterRegistry meters, KafkaAdmin kafka, String topic, Handler handler) {
        var loop = new TopicBatchConsumer(kafka.getConfigurationProperties(), group.groupId(), topic,
                group.pollRecordsMax(), handler);
        return Worker.named(group.workerName(), meters)
                .idle(Duration.ZERO) // the poll itself waits
                .afterStop(loop::close)
                .step(loop::pollOnce);
    }

    /**
     * What each record means, by {@code read} of its value, in the poll's order. A record {@code read} throws on is
     * logged and skipped: it will never be readable, and stopping on it would stop the group on every later record.
     */
    public static <T> List<T> readEach(List<ConsumerRecord<String, String>> records,
                                       Function<String, ? extends Collection<T>> read) {
        List<T> meanings = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                meanings.addAll(read.apply(record.value()));
            } catch (RuntimeException e) {
                log.error("skipping unreadable record at {}-{}@{}: {}", record.topic(), record.partition(),
                        record.offset(), e.getMessage());
            }
        }
        return meanings;
    }

    private Worker.Outcome pollOnce() {
        if (consumer == null) {
            consumer = new KafkaConsumer<>(settings);
            consumer.subscribe(List.of(topic));
        }
        ConsumerRecords<String, String> records = consumer.poll(POLL_WAIT);
        if (records.isEmpty()) {
            return Worker.Outcome.IDLE;
        }
        List<ConsumerRecord<String, String>> batch = new ArrayList<>(records.count());
        records.forEach(batch::add);
        try {
            handler.handle(batch);
        } catch (RuntimeException e) {
            rewind(records);
            throw e;
        }
        consumer.commitSync(nextOffsets(records));
        return Worker.Outcome.WORKED;
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

    private void close() {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
            consumer = null;
        }
    }
}
