package dev.payrail.webhook;

import dev.payrail.platform.BacklogGauges;
import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import dev.payrail.platform.Worker;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import lombok.RequiredArgsConstructor;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/**
 * The delivery backlog, measured every {@code PAYRAIL_WEBHOOKS_METRICS} as the operators' overview reads it
 * ({@link WebhookBacklog}): {@code payrail_webhook_backlog} (pending deliveries to enabled endpoints, counted up to
 * {@link WebhookBacklog#COUNT_MAX}; {@code COUNT_MAX + 1} means more) and
 * {@code payrail_webhook_oldest_pending_seconds} (age of the oldest of them; 0 when none), the one to alert on.
 * Counting every pending delivery here instead would read the whole backlog every few seconds, which is largest,
 * and the database busiest, exactly when an endpoint has been down for hours.
 */
@Component
@RequiredArgsConstructor
@ConditionalOnRole(Role.WEBHOOKS)
class WebhookMetrics {

    private final WebhookBacklog reader;
    private final Clock clock;

    @Bean
    Worker webhookMetricsWorker(PayrailProperties properties, MeterRegistry meters) {
        BacklogGauges backlog = new BacklogGauges(meters, "payrail.webhook.backlog",
                "webhook deliveries pending to enabled endpoints, counted up to " + WebhookBacklog.COUNT_MAX
                        + " (one more means more)", "payrail.webhook.oldest.pending.seconds",
                "age of the oldest pending webhook delivery");
        return Worker.every(properties.webhooks().metrics(), "webhook-metrics", meters, () -> {
            WebhookBacklog.Backlog now = reader.now();
            backlog.set(now.pending(), now.oldestCreatedAt(), clock.instant());
        });
    }
}
