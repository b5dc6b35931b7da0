package dev.payrail.outbox;

import java.time.Instant;
import java.util.UUID;

/**
 * What every event on Kafka looks like: the metadata consumers route and deduplicate by, and the event's own
 * fields under {@code data}. {@code event_id} is unique per event and repeated as a Kafka header: delivery is
 * at least once, so every consumer drops an {@code event_id} it has already handled.
 *
 * @param data the {@link DomainEvent} itself, serialized in place with the envelope (one pass, not twice)
 */
public record EventEnvelope(UUID eventId, String eventType, int eventVersion, UUID aggregateId, Instant occurredAt,
                            DomainEvent data) {}
