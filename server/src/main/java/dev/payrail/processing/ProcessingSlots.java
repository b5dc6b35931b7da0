package dev.payrail.processing;

import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * How many payments this node works on at once ({@code PAYRAIL_PROCESSING_IN_FLIGHT_MAX}), shared by the Kafka
 * consumer and the janitor. Without it a burst (a poll of hundreds of records, each on its own virtual thread)
 * overflows the acquirers' bulkheads, which refuse unsent what they cannot take — correct protection against a
 * slow acquirer, but here it would cascade, or fail as "acquirers unavailable", payments that only had to wait
 * for their turn. Waiting holds nothing but a virtual thread: no connection, no row lock.
 */
@Component
@ConditionalOnRole(Role.PROCESSING)
class ProcessingSlots {

    private final Semaphore slots;
    private final int size;

    ProcessingSlots(PayrailProperties properties, MeterRegistry meters) {
        this.size = properties.processing().inFlightMax();
        this.slots = new Semaphore(size, true);
        Gauge.builder("payrail.processing.in.flight", slots, s -> size - s.availablePermits())
                .description("payments this node is working on now").register(meters);
    }

    /** Processes the payment in a slot, waiting for one first; from {@code read} when given (see the processor). */
    void process(PaymentProcessor processor, UUID paymentId, PaymentProcessor.@Nullable Snapshot read)
            throws InterruptedException {
        slots.acquire();
        try {
            processor.process(paymentId, read);
        } finally {
            slots.release();
        }
    }
}
