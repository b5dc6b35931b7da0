package dev.payrail.processing;

import dev.payrail.platform.BacklogGauges;
import dev.payrail.platform.Concurrently;
import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import dev.payrail.platform.Worker;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import lombok.RequiredArgsConstructor;
import lombok.extern.slf4j.Slf4j;
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
@RequiredArgsConstructor
@Slf4j
class ProcessingJanitor {

    private static final int CLAIM_ROWS = 200;

    private final JdbcClient jdbc;
    private final PaymentProcessor processor;
    private final ProcessingSlots slots;
    private final Clock clock;
    private final PayrailProperties properties;

    @Bean
    Worker processingJanitorWorker(MeterRegistry meters) {
        BacklogGauges inProcessing = new BacklogGauges(meters, "payrail.processing.payments",
                "payments in status processing", "payrail.processing.oldest.seconds",
                "age of the oldest payment in status processing");
        // Like the consumer, only once this node's HTTP endpoints (its simulators, in embedded mode) are served.
        return Worker.named("processing-janitor", meters).phase(Worker.AFTER_WEB_SERVER)
                .idle(properties.processing().janitor())
                .step(() -> {
                    inProcessing.measure(jdbc, "payments where status = 'processing'", clock.instant());
                    settleStale();
                    reconcileSettled();
                    return Worker.Outcome.IDLE;
                });
    }

    /** Claims and settles stale payments; returns how many were taken up. */
    int settleStale() throws InterruptedException {
        Instant now = clock.instant();
        Duration staleAfter = properties.processing().staleAfter();
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
        Concurrently.forEach(claimed, paymentId -> slots.process(processor, paymentId, null), (paymentId, e) ->
                log.warn("payment {} could not be reconciled yet: {}", paymentId, e.getMessage()));
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
                .params(Timestamp.from(now.minus(properties.processing().staleAfter())), CLAIM_ROWS)
                .query(UUID.class).list();
        Concurrently.forEach(open, processor::reconcileSettled, (paymentId, e) -> log.warn(
                "open attempts of settled payment {} could not be reconciled yet: {}", paymentId, e.getMessage()));
        return open.size();
    }
}
