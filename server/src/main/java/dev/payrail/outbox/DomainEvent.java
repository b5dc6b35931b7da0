package dev.payrail.outbox;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.UUID;

/**
 * An internal event as a module defines it: a past-tense record (e.g. {@code PaymentCreated}) whose components
 * are its versioned internal schema. The record is serialized as the {@code data} of an {@link EventEnvelope};
 * what a merchant sees (API answers, webhooks) is derived from it, never the same object, so the internal schema
 * can grow without changing the public one and vice versa.
 */
public interface DomainEvent {

    /** Stable dotted name, e.g. {@code payment.created}; also the Kafka header {@code event_type}. */
    @JsonIgnore
    String eventType();

    /** Schema version of this type's {@code data}; raised when a field changes meaning or disappears. */
    @JsonIgnore
    int eventVersion();

    /** The aggregate the event belongs to: the Kafka key, so one aggregate's events stay in order. */
    @JsonIgnore
    UUID aggregateId();

    /**
     * An event of one payment, its own or one of its refunds': keyed by the payment, so all of a payment's events
     * stay in order on the payments topic.
     */
    interface OfPayment extends DomainEvent {

        UUID paymentId();

        @Override
        default UUID aggregateId() {
            return paymentId();
        }
    }
}
