package dev.payrail.outbox;

import java.time.Instant;
import java.util.UUID;

/**
 * One outbox row ready to insert (its components are the table's columns): an event with its id, time, topic
 * and serialized envelope. Made by {@link Outbox#entry}, so the envelope is always built one way; callers that
 * batch keep these until their transaction runs.
 *
 * @param createdAt when the event happened (the envelope's {@code occurred_at})
 */
public record OutboxEntry(UUID eventId, String eventType, UUID aggregateId, String topic, String payload,
                          Instant createdAt) {}
