package dev.payrail.webhook;

import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import dev.payrail.platform.TopicBatchConsumer;
import dev.payrail.platform.Worker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import lombok.RequiredArgsConstructor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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

    static final TopicBatchConsumer.Group GROUP = new TopicBatchConsumer.Group("webhook-events-consumer",
            "payrail-webhooks", 500);

    private final EventSnapshots snapshots;
    private final WebhookEvents events;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final KafkaAdmin kafka;
    private final MeterRegistry meters;
    private final WebhookSender sender;

    @Bean
    Worker webhookEventsConsumerWorker(PayrailProperties properties) {
        return TopicBatchConsumer.worker(GROUP, meters, kafka, properties.topics().payments(), this::derive);
    }

    /**
     * A poll's events and their deliveries, in one transaction: the poll's payments read in two queries and its
     * events and deliveries written in one statement, rather than four round trips per event (which made this
     * consumer the webhooks' bottleneck under load: bench/webhooks.sh, phase 1). A database failure, reading or
     * writing, propagates, so the poll is read again rather than skipped.
     */
    private void derive(List<ConsumerRecord<String, String>> records) {
        List<EventSnapshots.Read> reads = TopicBatchConsumer.readEach(records,
                value -> snapshots.read(json.readTree(value)).stream().toList());
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
}
