package dev.payrail.platform;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Payrail's settings, one validated tree. Each maps to an environment variable by Spring's relaxed binding:
 * dots become underscores, so {@code payrail.writer.batch} is {@code PAYRAIL_WRITER_BATCH}, and a camel-case
 * name takes an underscore too ({@code payrail.vault.panRetention} is {@code PAYRAIL_VAULT_PAN_RETENTION}).
 * Every value is checked when the application starts; one out of range stops the start with a line naming the
 * variable and its allowed range, rather than misbehaving later.
 *
 * <p>The infrastructure settings ({@code payrail.db.*}, {@code payrail.kafka.bootstrap}, {@code payrail.data.dir})
 * are read before any bean exists, by {@code EmbeddedInfrastructure}; {@code payrail.roles} by
 * {@link ConditionalOnRole}.
 */
@ConfigurationProperties("payrail")
public record PayrailProperties(
        @DefaultValue Idempotency idempotency,
        @DefaultValue Writer writer,
        @DefaultValue Relay relay,
        @DefaultValue Topics topics,
        @DefaultValue Outbox outbox,
        @DefaultValue Vault vault) {

    /** Every limit in one table: variable, value, allowed range. */
    public PayrailProperties {
        Limits.between("PAYRAIL_IDEMPOTENCY_RETENTION", idempotency.retention(), Duration.ofMinutes(1), Duration.ofDays(30));
        Limits.between("PAYRAIL_IDEMPOTENCY_PURGE", idempotency.purge(), Duration.ofSeconds(1), Duration.ofDays(1));
        Limits.between("PAYRAIL_WRITER_THREADS", writer.threads(), 1, 64);
        Limits.between("PAYRAIL_WRITER_BATCH", writer.batch(), 1, 10_000);
        Limits.between("PAYRAIL_WRITER_TIMEOUT", writer.timeout(), Duration.ofMillis(100), Duration.ofMinutes(5));
        Limits.between("PAYRAIL_WRITER_QUEUE", writer.queue(), 1, 1_000_000);
        Limits.between("PAYRAIL_RELAY_BATCH", relay.batch(), 1, 10_000);
        Limits.between("PAYRAIL_RELAY_IDLE", relay.idle(), Duration.ofMillis(1), Duration.ofSeconds(10));
        Limits.between("PAYRAIL_RELAY_BACKOFF", relay.backoff(), Duration.ofMillis(10), Duration.ofMinutes(5));
        Limits.between("PAYRAIL_TOPICS_PARTITIONS", topics.partitions(), 1, 1_000);
        Limits.between("PAYRAIL_OUTBOX_RETENTION", outbox.retention(), Duration.ofMinutes(1), Duration.ofDays(366));
        Limits.between("PAYRAIL_OUTBOX_CLEANUP", outbox.cleanup(), Duration.ofSeconds(1), Duration.ofDays(1));
        Limits.between("PAYRAIL_OUTBOX_METRICS", outbox.metrics(), Duration.ofMillis(100), Duration.ofMinutes(10));
        Limits.between("PAYRAIL_VAULT_PAN_RETENTION", vault.panRetention(), Duration.ZERO, Duration.ofDays(400));
        Limits.between("PAYRAIL_VAULT_SWEEP", vault.sweep(), Duration.ofSeconds(1), Duration.ofHours(1));
        if (!topics.payments().matches("[A-Za-z0-9._-]{1,249}")) {
            throw new InvalidSettingException("PAYRAIL_TOPICS_PAYMENTS must be a Kafka topic name "
                    + "(1-249 of A-Z a-z 0-9 . _ -)");
        }
    }

    /** How long idempotency keys are kept, and how often expired ones are purged. */
    public record Idempotency(
            @DefaultValue("24h") Duration retention,
            @DefaultValue("10m") Duration purge) {}

    /**
     * The group-commit writer: transactions in flight ({@code threads}), the most payments one may carry
     * ({@code batch}), the longest a request waits for its commit before answering 503 ({@code timeout}), and
     * how many requests may wait for a writer before the next is refused with 503 ({@code queue}).
     */
    public record Writer(
            @DefaultValue("2") int threads,
            @DefaultValue("256") int batch,
            @DefaultValue("10s") Duration timeout,
            @DefaultValue("20000") int queue) {}

    /** The outbox relay: events per Kafka round trip, the pause when the outbox is empty, the pause after a failure. */
    public record Relay(
            @DefaultValue("500") int batch,
            @DefaultValue("50ms") Duration idle,
            @DefaultValue("1s") Duration backoff) {}

    /** Topic layout, created at start-up: the payments topic's name and partition count. */
    public record Topics(
            @DefaultValue("payments") String payments,
            @DefaultValue("6") int partitions) {}

    /**
     * Published outbox rows: how long they are kept for audits and replays ({@code retention}), how often the
     * relay removes older ones ({@code cleanup}), and how often the lag metrics are measured ({@code metrics}).
     */
    public record Outbox(
            @DefaultValue("7d") Duration retention,
            @DefaultValue("1h") Duration cleanup,
            @DefaultValue("5s") Duration metrics) {}

    /**
     * The card vault: how long a card number is kept after its payment is final ({@code panRetention}, 0 = at
     * the next sweep) and how often the sweep runs ({@code sweep}). The CVC is always erased at the final status.
     */
    public record Vault(
            @DefaultValue("0s") Duration panRetention,
            @DefaultValue("1m") Duration sweep) {}

    /** Range checks whose message names the environment variable, for a one-line refusal at start-up. */
    static final class Limits {
        private Limits() {}

        static void between(String variable, int value, int min, int max) {
            if (value < min || value > max) {
                throw new InvalidSettingException(variable + " must be between " + min + " and " + max
                        + " (is " + value + ")");
            }
        }

        static void between(String variable, Duration value, Duration min, Duration max) {
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new InvalidSettingException(variable + " must be between " + text(min) + " and " + text(max)
                        + " (is " + text(value) + ")");
            }
        }

        private static String text(Duration d) {
            return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
        }
    }
}
