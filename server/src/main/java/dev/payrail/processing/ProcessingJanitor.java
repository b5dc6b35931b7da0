package dev.payrail.processing;

import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import dev.payrail.platform.Worker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reconciliation: nothing stays {@code processing} forever. Payments that have sat there longer than
 * {@code PAYRAIL_PROCESSING_STALE_AFTER} — a crash in the middle of a call, an unknown outcome, a lost message —
 * are claimed ({@code FOR UPDATE SKIP LOCKED}, and their {@code updated_at} moved on so that other nodes' janitors
 * leave them alone for a while) and handed to {@link PaymentProcessor}, which asks the acquirer about any
 * unresolved attempt before anything else. Also measures {@code payrail_processing_payments} and
 * {@code payrail_processing_oldest_seconds}.
 */
@Component
@ConditionalOnRole(Role.PROCESSING)
class ProcessingJanitor {

    private static final Logger log = LoggerFactory.getLogger(ProcessingJanitor.class);
    private static final int CLAIM_ROWS = 200;

    private final JdbcClient jdbc;
    private final PaymentProcessor processor;
    private final ProcessingSlots slots;
    private final Clock clock;
    private final Duration staleAfter;
    private final AtomicLong inProcessing = new AtomicLong();
    private final AtomicLong oldestSeconds = new AtomicLong();

    ProcessingJanitor(JdbcClient jdbc, PaymentProcessor processor, ProcessingSlots slots, Clock clock, PayrailProperties properties,
                      MeterRegistry meters) {
        this.jdbc = jdbc;
        this.processor = processor;
        this.slots = slots;
        this.clock = clock;
        this.staleAfter = properties.processing().staleAfter();
        Gauge.builder("payrail.processing.payments", inProcessing, AtomicLong::get)
                .description("payments in status processing").register(meters);
        Gauge.builder("payrail.processing.oldest.seconds", oldestSeconds, AtomicLong::get)
                .description("age of the oldest payment in status processing").register(meters);
    }

    @Bean
    Worker processingJanitorWorker(PayrailProperties properties, MeterRegistry meters) {
        // Like the consumer, only once this node's HTTP endpoints (its simulators, in embedded mode) are served.
        return Worker.named("processing-janitor", meters).phase(Worker.AFTER_WEB_SERVER)
                .idle(properties.processing().janitor())
                .step(() -> {
                    settleStale();
                    reconcileSettled();
                    return Worker.Outcome.IDLE;
                });
    }

    /** Claims and settles stale payments; returns how many were taken up. */
    int settleStale() throws InterruptedException {
        Instant now = clock.instant();
        measure(now);
        List<UUID> claimed = jdbc.sql("""
                update payments set updated_at = ?
                where payment_id in (select payment_id from payments
                                     where status = 'processing' and updated_at < ?
                                     order by updated_at limit ? for update skip locked)
                returning payment_id""")
                .params(Timestamp.from(now), Timestamp.from(now.minus(staleAfter)), CLAIM_ROWS)
                .query(UUID.class).list();
        if (claimed.isEmpty()) {
            return 0;
        }
        log.info("reconciling {} payments in processing for longer than {}", claimed.size(), staleAfter);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (UUID paymentId : claimed) {
                threads.submit(() -> {
                    try {
                        slots.process(processor, paymentId, null);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        log.warn("payment {} could not be reconciled yet: {}", paymentId, e.getMessage());
                    }
                });
            }
        }
        return claimed.size();
    }

    /**
     * Settled payments with an attempt still open (see {@link PaymentProcessor#reconcileSettled}): a late approval
     * of a payment declined by hand, a void that failed. Returns how many payments were looked at.
     */
    int reconcileSettled() throws InterruptedException {
        Instant now = clock.instant();
        List<UUID> open = jdbc.sql("""
                select distinct a.payment_id from payment_attempts a join payments p using (payment_id)
                where a.outcome in ('sent', 'unknown', 'pending') and a.created_at < ?
                  and p.status in ('approved', 'declined', 'failed')
                limit ?""")
                .params(Timestamp.from(now.minus(staleAfter)), CLAIM_ROWS)
                .query(UUID.class).list();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (UUID paymentId : open) {
                threads.submit(() -> {
                    try {
                        processor.reconcileSettled(paymentId);
                    } catch (RuntimeException e) {
                        log.warn("open attempts of settled payment {} could not be reconciled yet: {}", paymentId,
                                e.getMessage());
                    }
                });
            }
        }
        return open.size();
    }

    private void measure(Instant now) {
        jdbc.sql("""
                select count(*), coalesce(extract(epoch from ? - min(created_at)), 0)::bigint
                from payments where status = 'processing'""")
                .param(Timestamp.from(now))
                .query(rs -> {
                    inProcessing.set(rs.getLong(1));
                    oldestSeconds.set(Math.max(0, rs.getLong(2)));
                });
    }
}
