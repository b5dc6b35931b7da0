package dev.payrail.refund;

import dev.payrail.platform.Concurrently;
import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import dev.payrail.platform.Worker;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import lombok.RequiredArgsConstructor;
import lombok.extern.slf4j.Slf4j;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/**
 * Nothing stays {@code requested} for ever: refunds left there longer than {@code PAYRAIL_REFUNDS_STALE_AFTER} —
 * the node crashed between the commit and the acquirer's answer, the call timed out, the acquirer was down — are
 * claimed ({@code FOR UPDATE SKIP LOCKED}, their {@code updated_at} moved on so other nodes leave them alone) and
 * sent again with the same reference. The acquirer answers a reference it has seen with its first outcome and
 * books it once, so a resend can never refund twice; one it has not seen it processes now.
 */
@Component
@ConditionalOnRole(Role.PROCESSING)
@RequiredArgsConstructor
@Slf4j
class RefundSettler {

    private static final int CLAIM_ROWS = 100;

    private final Refunds refunds;
    private final RefundService service;
    private final Clock clock;
    private final PayrailProperties properties;

    @Bean
    Worker refundSettlerWorker(PayrailProperties properties, MeterRegistry meters) {
        // It calls acquirers, which in embedded mode are this node's own simulators: only once they are served.
        return Worker.named("refund-settler", meters).phase(Worker.AFTER_WEB_SERVER)
                .idle(properties.refunds().settler())
                .step(() -> settleStale() == CLAIM_ROWS ? Worker.Outcome.WORKED : Worker.Outcome.IDLE);
    }

    /** Claims stale requested refunds and sends each again; returns how many were claimed. */
    int settleStale() {
        Instant now = clock.instant();
        Duration staleAfter = properties.refunds().staleAfter();
        List<Refund> claimed = refunds.claimStale(now.minus(staleAfter), now, CLAIM_ROWS);
        if (claimed.isEmpty()) {
            return 0;
        }
        log.info("sending again {} refunds requested for longer than {}", claimed.size(), staleAfter);
        Concurrently.forEach(claimed, service::send, (refund, e) ->
                log.warn("refund {} could not be settled yet: {}", refund.refundId(), e.getMessage()));
        return claimed.size();
    }
}
