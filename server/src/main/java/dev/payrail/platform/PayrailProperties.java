package dev.payrail.platform;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Payrail's tuning settings. Each maps to an environment variable by Spring's relaxed binding: dots become
 * underscores, so {@code payrail.writer.batch} is {@code PAYRAIL_WRITER_BATCH}. Names are single words per level
 * on purpose: a dashed name would lose its dash in the variable ({@code batch-max} is {@code BATCHMAX}).
 * The infrastructure settings ({@code payrail.db.*}, {@code payrail.kafka.bootstrap}, {@code payrail.data.dir})
 * are read before binding, by {@code EmbeddedInfrastructure}; {@code payrail.roles} by {@link ConditionalOnRole}.
 */
@ConfigurationProperties("payrail")
public record PayrailProperties(
        @DefaultValue Idempotency idempotency,
        @DefaultValue Writer writer,
        @DefaultValue Relay relay,
        @DefaultValue Topics topics) {

    /** How long idempotency keys are kept, and how often expired ones are purged. */
    public record Idempotency(
            @DefaultValue("24h") Duration retention,
            @DefaultValue("10m") Duration purge) {}

    /** The group-commit writer: how many transactions may be in flight and how many payments one may carry. */
    public record Writer(
            @DefaultValue("2") int threads,
            @DefaultValue("256") int batch,
            @DefaultValue("10s") Duration timeout) {}

    /** The outbox relay: events per Kafka round trip, the pause when the outbox is empty, the pause after a failure. */
    public record Relay(
            @DefaultValue("500") int batch,
            @DefaultValue("50ms") Duration idle,
            @DefaultValue("1s") Duration backoff) {}

    /** Topic layout, created at start-up: the payments topic's name and partition count. */
    public record Topics(
            @DefaultValue("payments") String payments,
            @DefaultValue("6") int partitions) {}
}
