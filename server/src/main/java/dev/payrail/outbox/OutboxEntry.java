package dev.payrail.outbox;

import java.time.Instant;
import java.util.UUID;

/**
 * One outbox row ready to insert: an event with its id, time, topic and serialized envelope. Made by
 * {@link Outbox#entry}, so the envelope is always built one way; callers that batch keep these until their
 * transaction runs.
 */
public record OutboxEntry(UUID eventId, String eventType, UUID aggregateId, String topic, String payload,
                          Instant occurredAt) {}
