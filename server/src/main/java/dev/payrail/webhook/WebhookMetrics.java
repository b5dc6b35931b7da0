package dev.payrail.webhook;

import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import dev.payrail.platform.Worker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/**
 * The delivery backlog, measured every {@code PAYRAIL_WEBHOOKS_METRICS}: {@code payrail_webhook_backlog} (pending
 * deliveries) and {@code payrail_webhook_oldest_pending_seconds} (age of the oldest pending one; 0 when none).
 */
@Component
@ConditionalOnRole(Role.WEBHOOKS)
class WebhookMetrics {

    private final Deliveries deliveries;
    private final Clock clock;
    private final Duration interval;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong oldestSeconds = new AtomicLong();

    WebhookMetrics(Deliveries deliveries, Clock clock, PayrailProperties properties, MeterRegistry meters) {
        this.deliveries = deliveries;
        this.clock = clock;
        this.interval = properties.webhooks().metrics();
        Gauge.builder("payrail.webhook.backlog", backlog, AtomicLong::get)
                .description("webhook deliveries pending").register(meters);
        Gauge.builder("payrail.webhook.oldest.pending.seconds", oldestSeconds, AtomicLong::get)
                .description("age of the oldest pending webhook delivery").baseUnit("seconds").register(meters);
    }

    @Bean
    Worker webhookMetricsWorker(MeterRegistry meters) {
        return Worker.every(interval, "webhook-metrics", meters, this::measure);
    }

    private void measure() {
        Deliveries.Backlog now = deliveries.backlog();
        backlog.set(now.pending());
        oldestSeconds.set(now.oldest() == null ? 0 : Math.max(0, Duration.between(now.oldest(), clock.instant()).toSeconds()));
    }
}
