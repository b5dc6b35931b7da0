package dev.payrail.processing;

import dev.payrail.payment.PaymentEvent;
import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.KafkaConsumerSettings;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import dev.payrail.platform.Worker;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The processing role's Kafka consumer (group {@code payrail-processing}, topic {@code payments}). Every payment
 * is processed on a virtual thread of its own (at most {@code PAYRAIL_PROCESSING_IN_FLIGHT_MAX} at work, see
 * {@link ProcessingSlots}), a payment's records one after the other, and the consumer keeps polling meanwhile: a
 * slow acquirer delays only its own payments, never the stream. Offsets are committed per partition up to the
 * lowest record not yet handled — so only after the database commits that settled everything before it — and a
 * failed handling (the database away, say) is retried with a growing pause rather than skipped; while too many
 * records are open the partitions are paused. Handling is idempotent (a settled payment is skipped, an attempt
 * is never made twice), so records handled again after a crash or a rebalance are harmless.
 */
@Component
@ConditionalOnRole(Role.PROCESSING)
class PaymentEventsConsumer {

    private static final Logger log = LoggerFactory.getLogger(PaymentEventsConsumer.class);
    static final String GROUP = "payrail-processing";
    private static final Duration POLL_WAIT = Duration.ofMillis(200);
    private static final Duration FULL_POLL_WAIT = Duration.ofMillis(20);
    private static final int POLL_RECORDS_MAX = 500;
    /** Records received but not yet handled, beyond which the partitions are paused. */
    private static final int OPEN_RECORDS_MAX = 5_000;
    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(200);
    private static final Duration RETRY_FIRST = Duration.ofMillis(200);
    private static final Duration RETRY_MAX = Duration.ofSeconds(30);

    private final PaymentProcessor processor;
    private final ProcessingSlots slots;
    private final JsonMapper json;
    private final Map<String, Object> kafkaSettings;
    private final String topic;
    private final ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<TopicPartition, PartitionProgress> open = new HashMap<>();
    private final Map<UUID, CompletableFuture<Void>> lastOfPayment = new ConcurrentHashMap<>();
    private final Queue<Finished> finished = new ConcurrentLinkedQueue<>();
    private long lastCommitNanos;
    private volatile boolean closing;
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

    private Worker.Outcome pollOnce() {
        if (consumer == null) {
            consumer = open();
        }
        settleFinished();
        boolean full = open.values().stream().mapToInt(PartitionProgress::openCount).sum() >= OPEN_RECORDS_MAX;
        if (full) {
            consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
        ConsumerRecords<String, String> records = consumer.poll(full ? FULL_POLL_WAIT : POLL_WAIT);
        Map<ConsumerRecord<String, String>, UUID> toProcess = new IdentityHashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            UUID paymentId = paymentToProcess(record);
            if (paymentId != null) {
                toProcess.put(record, paymentId);
            }
        }
        Map<UUID, PaymentProcessor.Snapshot> snapshots = readAhead(toProcess.values());
        for (ConsumerRecord<String, String> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            PartitionProgress progress = open.computeIfAbsent(partition, p -> new PartitionProgress());
            progress.seen(record.offset());
            UUID paymentId = toProcess.get(record);
            if (paymentId == null) {
                progress.done(record.offset());
                continue;
            }
            long offset = record.offset();
            // One payment's records one after the other: each waits for the one before it.
            CompletableFuture<Void> before = lastOfPayment.getOrDefault(paymentId, CompletableFuture.completedFuture(null));
            // Only a payment with nothing in flight was read ahead, and only its first record here takes the
            // snapshot; a later one reads afresh.
            PaymentProcessor.Snapshot read = snapshots.remove(paymentId);
            CompletableFuture<Void> task = before.thenRunAsync(() -> {
                if (handle(paymentId, read)) {
                    finished.add(new Finished(partition, offset));
                } // else the node is stopping: the record stays uncommitted and is handled again after the restart
            }, virtualThreads);
            lastOfPayment.put(paymentId, task);
            task.whenComplete((ok, error) -> lastOfPayment.remove(paymentId, task));
        }
        settleFinished();
        commitIfDue();
        return records.isEmpty() ? Worker.Outcome.IDLE : Worker.Outcome.WORKED;
    }

    /**
     * What the processor reads about each payment this poll asks to process, in two queries for the whole poll
     * instead of two per payment (a payment's own reads were the most frequent statements of processing). Empty
     * when the database cannot answer now: then each payment reads for itself, and retries as any failure does.
     */
    private Map<UUID, PaymentProcessor.Snapshot> readAhead(Collection<UUID> paymentIds) {
        Set<UUID> ids = paymentIds.stream().filter(id -> !lastOfPayment.containsKey(id)).collect(Collectors.toSet());
        if (ids.isEmpty()) {
            return new HashMap<>();
        }
        try {
            return processor.read(ids);
        } catch (RuntimeException e) {
            // Never fail the poll over it: records taken from Kafka but not scheduled would be passed over.
            log.debug("reading ahead {} payments failed ({}); each reads for itself", ids.size(), e.getMessage());
            return new HashMap<>();
        }
    }

    /**
     * Processes the payment until that succeeds, pausing longer after each failure; false when the node stopped
     * first. The first try starts from {@code read} when given; a retry reads afresh.
     */
    private boolean handle(UUID paymentId, PaymentProcessor.@Nullable Snapshot read) {
        Duration pause = RETRY_FIRST;
        for (PaymentProcessor.Snapshot from = read; !closing; from = null) {
            try {
                slots.process(processor, paymentId, from);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (RuntimeException e) {
                log.warn("payment {} could not be processed ({}); trying again in {} ms", paymentId, e.getMessage(),
                        pause.toMillis());
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                pause = pause.multipliedBy(2).compareTo(RETRY_MAX) > 0 ? RETRY_MAX : pause.multipliedBy(2);
            }
        }
        return false;
    }

    /** Moves what the processing threads finished into each partition's progress (consumer thread only). */
    private void settleFinished() {
        for (Finished f; (f = finished.poll()) != null; ) {
            PartitionProgress progress = open.get(f.partition());
            if (progress != null) {
                progress.done(f.offset());
            }
        }
    }

    private void commitIfDue() {
        long now = System.nanoTime();
        if (now - lastCommitNanos < COMMIT_INTERVAL.toNanos()) {
            return;
        }
        lastCommitNanos = now;
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        open.forEach((partition, progress) -> progress.toCommit().ifPresent(
                offset -> offsets.put(partition, new OffsetAndMetadata(offset))));
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
            offsets.forEach((partition, offset) -> open.get(partition).committed(offset.offset()));
        }
    }

    /** The records of one partition not yet handled, and the next offset to commit. */
    private static final class PartitionProgress {
        private final TreeSet<Long> pending = new TreeSet<>();
        private long next = -1; // one past the highest offset seen
        private long committed = -1;

        void seen(long offset) {
            pending.add(offset);
            next = Math.max(next, offset + 1);
        }

        void done(long offset) {
            pending.remove(offset);
        }

        int openCount() {
            return pending.size();
        }

        /** The lowest offset still open, or one past the last seen; empty when that is committed already. */
        java.util.OptionalLong toCommit() {
            long offset = pending.isEmpty() ? next : pending.first();
            return offset > committed && offset >= 0 ? java.util.OptionalLong.of(offset) : java.util.OptionalLong.empty();
        }

        void committed(long offset) {
            committed = offset;
        }
    }

    private record Finished(TopicPartition partition, long offset) {}

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

    private Consumer<String, String> open() {
        var opened = new KafkaConsumer<String, String>(KafkaConsumerSettings.of(kafkaSettings, GROUP, POLL_RECORDS_MAX));
        opened.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // Commit what is handled; what is still open there is handled again by the new owner.
                settleFinished();
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (TopicPartition partition : partitions) {
                    PartitionProgress progress = open.remove(partition);
                    if (progress != null) {
                        progress.toCommit().ifPresent(o -> offsets.put(partition, new OffsetAndMetadata(o)));
                    }
                }
                if (!offsets.isEmpty()) {
                    opened.commitSync(offsets);
                }
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                // progress starts with the first record polled
            }
        });
        return opened;
    }

    private void close() {
        closing = true;
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
            consumer = null;
        }
        virtualThreads.close();
    }
}
