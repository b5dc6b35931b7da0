package dev.payrail.outbox;

import dev.payrail.platform.PayrailProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Topics (created at start-up by Spring Kafka's admin) and the outbox lag metrics:
 * {@code payrail_outbox_pending} (events not yet on Kafka) and {@code payrail_outbox_lag_seconds} (age of the
 * oldest of them).
 */
@Configuration(proxyBeanMethods = false)
public class OutboxConfig {

    private static final Logger log = LoggerFactory.getLogger(OutboxConfig.class);

    private final JdbcClient jdbc;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong lagMillis = new AtomicLong();

    OutboxConfig(JdbcClient jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        Gauge.builder("payrail.outbox.pending", pending, AtomicLong::get)
                .description("outbox events not yet published to Kafka").register(meters);
        Gauge.builder("payrail.outbox.lag.seconds", lagMillis, v -> v.get() / 1000.0)
                .description("age of the oldest unpublished outbox event").register(meters);
    }

    @Bean
    NewTopic paymentsTopic(PayrailProperties properties) {
        return TopicBuilder.name(properties.topics().payments())
                .partitions(properties.topics().partitions())
                .build();
    }

    @Scheduled(fixedDelayString = "${payrail.outbox.metrics:5s}")
    void refreshLag() {
        try {
            jdbc.sql("""
                    select count(*), coalesce(extract(epoch from now() - min(created_at)) * 1000, 0)::bigint
                    from outbox where published_at is null""")
                    .query(rs -> {
                        pending.set(rs.getLong(1));
                        lagMillis.set(rs.getLong(2));
                    });
        } catch (RuntimeException e) {
            log.debug("outbox lag not measured: {}", e.getMessage());
        }
    }

    /** Published events are kept a week for audits and replays, then removed. */
    @Scheduled(fixedDelayString = "${payrail.outbox.cleanup:1h}", initialDelayString = "1m")
    void removeOldPublished() {
        try {
            int removed = jdbc.sql("delete from outbox where published_at < now() - interval '7 days'").update();
            if (removed > 0) {
                log.info("removed {} published outbox events older than 7 days", removed);
            }
        } catch (RuntimeException e) {
            log.warn("outbox cleanup failed: {}", e.getMessage());
        }
    }
}
