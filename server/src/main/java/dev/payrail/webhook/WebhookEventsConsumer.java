package dev.payrail.webhook;

import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import dev.payrail.platform.TopicBatchConsumer;
import dev.payrail.platform.Worker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import lombok.RequiredArgsConstructor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Derives merchant-facing events and their deliveries from the {@code payments} topic (consumer group
 * {@code payrail-webhooks}, role {@code webhooks}). A poll's events and deliveries are written in one database
 * transaction, and the offsets are committed only after it committed: a crash in between replays the poll, and
 * the replay changes nothing (the event id is the key, deliveries are only derived with the event's first insert).
 * So every merchant-facing event the outbox published gets its deliveries, none twice.
 */
@Component
@ConditionalOnRole(Role.WEBHOOKS)
@RequiredArgsConstructor
class WebhookEventsConsumer {

    private static final Logger log = LoggerFactory.getLogger(WebhookEventsConsumer.class);
    static final String GROUP = "payrail-webhooks";
    private static final int POLL_RECORDS_MAX = 500;

    private final EventSnapshots snapshots;
    private final WebhookEvents events;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final KafkaAdmin kafka;
    private final MeterRegistry meters;
    private final WebhookSender sender;

    @Bean
    Worker webhookEventsConsumerWorker(PayrailProperties properties) {
        return TopicBatchConsumer.worker("webhook-events-consumer", meters, kafka, GROUP, properties.topics().payments(),
                POLL_RECORDS_MAX, this::derive);
    }

    /**
     * A poll's events and their deliveries, in one transaction: the poll's payments read in two queries and its
     * events and deliveries written in one statement, rather than four round trips per event (which made this
     * consumer the webhooks' bottleneck under load: bench/webhooks.sh, phase 1). A database failure, reading or
     * writing, propagates, so the poll is read again rather than skipped.
     */
    private void derive(List<ConsumerRecord<String, String>> records) {
        List<EventSnapshots.Read> reads = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            reads.addAll(merchantEvent(record));
        }
        if (reads.isEmpty()) {
            return;
        }
        Integer created = tx.execute(status -> events.recordAll(snapshots.of(reads)));
        if (created != null && created > 0) {
            Counter.builder("payrail.webhook.deliveries.queued").description("webhook deliveries derived from events")
                    .register(meters).increment(created);
            sender.wake(); // committed: this node's sender takes them at once (others at their next round)
        }
    }

    /** The record's merchant-facing event, or none. An unreadable record is logged and skipped. */
    private List<EventSnapshots.Read> merchantEvent(ConsumerRecord<String, String> record) {
        try {
            return snapshots.read(json.readTree(record.value())).stream().toList();
        } catch (RuntimeException e) {
            log.error("skipping unreadable record at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return List.of();
        }
    }
}
