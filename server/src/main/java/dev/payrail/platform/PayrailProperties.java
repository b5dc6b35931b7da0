package dev.payrail.platform;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every Payrail setting in one place. Each maps to an environment variable by Spring's relaxed binding:
 * {@code payrail.db.url} is {@code PAYRAIL_DB_URL}, {@code payrail.roles} is {@code PAYRAIL_ROLES}, and so on.
 */
@ConfigurationProperties("payrail")
public record PayrailProperties(
        @DefaultValue("api,relay,processing,webhooks,admin,simulators") List<String> roles,
        @DefaultValue Idempotency idempotency,
        @DefaultValue Writer writer,
        @DefaultValue Relay relay,
        @DefaultValue Kafka kafka) {

    /** How long idempotency keys are kept, and how often expired ones are purged. */
    public record Idempotency(
            @DefaultValue("24h") Duration retention,
            @DefaultValue("10m") Duration purgeInterval) {}

    /** The group-commit writer: how many transactions may be in flight and how many payments one may carry. */
    public record Writer(
            @DefaultValue("2") int threads,
            @DefaultValue("256") int batchMax,
            @DefaultValue("10s") Duration answerTimeout) {}

    /** The outbox relay: rows per Kafka round trip and the pause when the outbox is empty. */
    public record Relay(
            @DefaultValue("500") int batchMax,
            @DefaultValue("50ms") Duration idlePause,
            @DefaultValue("1s") Duration errorPause) {}

    /** Topic layout, created at start-up. */
    public record Kafka(
            @DefaultValue("payments") String paymentsTopic,
            @DefaultValue("6") int paymentsPartitions) {}
}
