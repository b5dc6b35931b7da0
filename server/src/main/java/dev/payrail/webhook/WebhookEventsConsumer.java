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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.DataAccessException;
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
class WebhookEventsConsumer {

    private static final Logger log = LoggerFactory.getLogger(WebhookEventsConsumer.class);
    static final String GROUP = "payrail-webhooks";
    private static final int POLL_RECORDS_MAX = 500;

    private final EventSnapshots snapshots;
    private final WebhookEvents events;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final KafkaAdmin kafka;
    private final String topic;
    private final Counter derived;

    WebhookEventsConsumer(EventSnapshots snapshots, WebhookEvents events, TransactionTemplate tx, JsonMapper json,
                          KafkaAdmin kafkaAdmin, PayrailProperties properties, MeterRegistry meters) {
        this.snapshots = snapshots;
        this.events = events;
        this.tx = tx;
        this.json = json;
        this.topic = properties.topics().payments();
        this.kafka = kafkaAdmin;
        this.derived = Counter.builder("payrail.webhook.deliveries.queued")
                .description("webhook deliveries derived from events").register(meters);
    }

    @Bean
    Worker webhookEventsConsumerWorker(MeterRegistry meters) {
        return TopicBatchConsumer.worker("webhook-events-consumer", meters, kafka, GROUP, topic,
                POLL_RECORDS_MAX, this::derive);
    }

    /** A poll's events and their deliveries, in one transaction. */
    private void derive(List<ConsumerRecord<String, String>> records) {
        List<WebhookEvents.Event> merchantEvents = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            merchantEvents.addAll(merchantEvent(record));
        }
        Integer created = tx.execute(status -> merchantEvents.stream().mapToInt(events::record).sum());
        derived.increment(created == null ? 0 : created);
    }

    /**
     * The record's merchant-facing event, or none. An unreadable record is logged and skipped; a database
     * failure while taking the snapshot propagates, so the poll is read again.
     */
    private List<WebhookEvents.Event> merchantEvent(ConsumerRecord<String, String> record) {
        try {
            return snapshots.of(json.readTree(record.value())).stream().toList();
        } catch (DataAccessException e) {
            throw e;
        } catch (RuntimeException e) {
            log.error("skipping unreadable record at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return List.of();
        }
    }
}
