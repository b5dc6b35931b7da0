package dev.payrail.outbox;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.UUID;

/**
 * What every event on Kafka looks like: the metadata consumers route and deduplicate by, and the event's own
 * fields under {@code data}. {@code event_id} is unique per event and repeated as a Kafka header: delivery is
 * at least once, so every consumer drops an {@code event_id} it has already handled.
 *
 * @param data the serialized {@link DomainEvent}, embedded as JSON (not as a string)
 */
public record EventEnvelope(UUID eventId, String eventType, int eventVersion, UUID aggregateId, Instant occurredAt,
                            @JsonRawValue String data) {}
