package dev.payrail.platform;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;

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
        @DefaultValue Vault vault,
        @DefaultValue Processing processing,
        @DefaultValue Routing routing,
        @DefaultValue Acquirers acquirers,
        @DefaultValue Master master,
        @DefaultValue Admin admin,
        @DefaultValue Http http,
        @DefaultValue Refunds refunds,
        @DefaultValue Webhooks webhooks,
        @DefaultValue ApiKeys apiKeys,
        @DefaultValue Management management,
        @DefaultValue Api api,
        @Name("public") @DefaultValue Public publicAddress) {

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
        Limits.between("PAYRAIL_PROCESSING_ATTEMPTS_MAX", processing.attemptsMax(), 1, 10);
        Limits.between("PAYRAIL_HTTP_HEADER_TIMEOUT", http.headerTimeout(), Duration.ofMillis(100), Duration.ofMinutes(10));
        Limits.between("PAYRAIL_PROCESSING_IN_FLIGHT_MAX", processing.inFlightMax(), 1, 10_000);
        Limits.between("PAYRAIL_PROCESSING_STALE_AFTER", processing.staleAfter(), Duration.ofSeconds(1), Duration.ofHours(1));
        Limits.between("PAYRAIL_PROCESSING_JANITOR", processing.janitor(), Duration.ofMillis(100), Duration.ofMinutes(10));
        Limits.between("PAYRAIL_PROCESSING_NOT_FOUND_AFTER", processing.notFoundAfter(), Duration.ofSeconds(1), Duration.ofHours(1));
        Limits.between("PAYRAIL_REFUNDS_STALE_AFTER", refunds.staleAfter(), Duration.ofSeconds(1), Duration.ofHours(1));
        Limits.between("PAYRAIL_REFUNDS_SETTLER", refunds.settler(), Duration.ofMillis(100), Duration.ofMinutes(10));
        Limits.between("PAYRAIL_ROUTING_REFRESH", routing.refresh(), Duration.ofMillis(100), Duration.ofMinutes(1));
        if (processing.route().isEmpty()) {
            throw new IllegalArgumentException("PAYRAIL_PROCESSING_ROUTE must name at least one acquirer");
        }
        acquirers.byName().forEach((name, acquirer) -> {
            String prefix = "PAYRAIL_ACQUIRERS_" + name.toUpperCase(Locale.ROOT) + "_";
            if (!acquirer.url().isEmpty() && !Acquirers.isHttpUrl(acquirer.url())) {
                throw new IllegalArgumentException(prefix + "URL must be an absolute http or https URL");
            }
            Limits.between(prefix + "TIMEOUT", acquirer.timeout(), Duration.ofMillis(50), Duration.ofMinutes(2));
            Limits.between(prefix + "CONNECT_TIMEOUT", acquirer.connectTimeout(), Duration.ofMillis(10), Duration.ofSeconds(30));
            Limits.between(prefix + "CONCURRENT_CALLS_MAX", acquirer.concurrentCallsMax(), 1, 10_000);
            Limits.between(prefix + "CIRCUIT_FAILURE_RATE_PERCENT", acquirer.circuitFailureRatePercent(), 1, 100);
            Limits.between(prefix + "CIRCUIT_WINDOW_CALLS", acquirer.circuitWindowCalls(), 1, 10_000);
            Limits.between(prefix + "CIRCUIT_MINIMUM_CALLS", acquirer.circuitMinimumCalls(), 1, 10_000);
            Limits.between(prefix + "CIRCUIT_OPEN_DURATION", acquirer.circuitOpenDuration(), Duration.ofMillis(100), Duration.ofHours(1));
            Limits.between(prefix + "CIRCUIT_HALF_OPEN_CALLS", acquirer.circuitHalfOpenCalls(), 1, 1_000);
        });
        Limits.between("PAYRAIL_WEBHOOKS_TIMEOUT", webhooks.timeout(), Duration.ofMillis(100), Duration.ofMinutes(2));
        Limits.between("PAYRAIL_WEBHOOKS_CONNECT_TIMEOUT", webhooks.connectTimeout(), Duration.ofMillis(10), Duration.ofSeconds(30));
        Limits.between("PAYRAIL_WEBHOOKS_IN_FLIGHT_MAX", webhooks.inFlightMax(), 1, 100_000);
        Limits.between("PAYRAIL_WEBHOOKS_PER_ENDPOINT_MAX", webhooks.perEndpointMax(), 1, 10_000);
        Limits.between("PAYRAIL_WEBHOOKS_BATCH", webhooks.batch(), 1, 10_000);
        Limits.between("PAYRAIL_WEBHOOKS_IDLE", webhooks.idle(), Duration.ofMillis(1), Duration.ofSeconds(10));
        Limits.between("PAYRAIL_WEBHOOKS_ROTATION_OVERLAP", webhooks.rotationOverlap(), Duration.ZERO, Duration.ofDays(30));
        Limits.between("PAYRAIL_WEBHOOKS_METRICS", webhooks.metrics(), Duration.ofMillis(100), Duration.ofMinutes(10));
        Limits.between("PAYRAIL_WEBHOOKS_LEASE", webhooks.lease(), Duration.ofSeconds(1), Duration.ofHours(1));
        if (webhooks.lease().compareTo(webhooks.timeout().plus(webhooks.connectTimeout())) <= 0) {
            throw new InvalidSettingException("PAYRAIL_WEBHOOKS_LEASE must be longer than PAYRAIL_WEBHOOKS_TIMEOUT "
                    + "plus PAYRAIL_WEBHOOKS_CONNECT_TIMEOUT, or a delivery still being sent would be sent twice");
        }
        if (webhooks.schedule().isEmpty()) {
            throw new InvalidSettingException("PAYRAIL_WEBHOOKS_SCHEDULE must name at least one delay (e.g. 0s,5s,5m)");
        }
        for (Duration delay : webhooks.schedule()) {
            Limits.between("PAYRAIL_WEBHOOKS_SCHEDULE", delay, Duration.ZERO, Duration.ofDays(7));
        }
        if (admin.email().isBlank() != admin.password().isEmpty()) {
            throw new InvalidSettingException("PAYRAIL_ADMIN_EMAIL and PAYRAIL_ADMIN_PASSWORD go together: set both "
                    + "to create the first admin account, or neither");
        }
        if (!admin.password().isEmpty() && (admin.password().length() < 12 || admin.password().length() > 200)) {
            throw new InvalidSettingException("PAYRAIL_ADMIN_PASSWORD must have 12 to 200 characters");
        }
        Limits.between("PAYRAIL_ADMIN_SESSION_TIMEOUT", admin.sessionTimeout(), Duration.ofMinutes(1), Duration.ofDays(30));
        Limits.between("PAYRAIL_ADMIN_LOGIN_ATTEMPTS", admin.loginAttempts(), 1, 1_000);
        Limits.between("PAYRAIL_ADMIN_LOGIN_WINDOW", admin.loginWindow(), Duration.ofSeconds(1), Duration.ofDays(1));
        Limits.between("PAYRAIL_ADMIN_WRITES_PER_MINUTE", admin.writesPerMinute(), 1, 1_000_000);
        Limits.between("PAYRAIL_API_KEYS_ROTATION_GRACE", apiKeys.rotationGrace(), Duration.ZERO, Duration.ofDays(30));
        Limits.between("PAYRAIL_API_KEYS_LAST_USED_FLUSH", apiKeys.lastUsedFlush(), Duration.ofMillis(100), Duration.ofMinutes(10));
        if (management.port() != null) {
            Limits.between("PAYRAIL_MANAGEMENT_PORT", management.port(), 1, 65_535);
        }
        if (!publicAddress.url().isEmpty() && !Public.isBaseUrl(publicAddress.url())) {
            throw new InvalidSettingException("PAYRAIL_PUBLIC_URL must be an absolute http or https URL without a "
                    + "query, e.g. https://pay.example.com");
        }
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

    /**
     * Processing: the default route (acquirers in the order they are tried), the most attempts per payment, how
     * long a payment may sit in {@code processing} before the janitor takes it up again ({@code staleAfter}), how
     * often the janitor looks ({@code janitor}), and how long after an attempt an acquirer's "never heard of it"
     * is believed ({@code notFoundAfter}; before that the call may still be in flight), and how many payments one
     * node works on at once ({@code inFlightMax}; more wait their turn instead of overflowing the acquirers'
     * bulkheads, which would cascade or fail payments only because this node sent too many at once).
     */
    public record Processing(
            @DefaultValue({"alpha", "beta", "gamma"}) java.util.List<String> route,
            @DefaultValue("3") int attemptsMax,
            @DefaultValue("30s") Duration staleAfter,
            @DefaultValue("5s") Duration janitor,
            @DefaultValue("60s") Duration notFoundAfter,
            @DefaultValue("512") int inFlightMax) {}

    /**
     * Refunds: how long a refund may stay {@code requested} (its call crashed or timed out) before the settler
     * sends it again ({@code staleAfter}), and how often the settler looks ({@code settler}).
     */
    public record Refunds(
            @DefaultValue("5s") Duration staleAfter,
            @DefaultValue("1s") Duration settler) {}

    /**
     * Routing rules and acquirer switches: how often each processing node checks whether they changed on another
     * node ({@code refresh}); a change made through a node applies there at once.
     */
    public record Routing(
            @DefaultValue("2s") Duration refresh) {}

    /**
     * Calls to the acquirers, one entry per acquirer Payrail has an adapter for. Each acquirer has its own address
     * ({@code url}; empty: the simulator of that name on this node), its own time-outs, the most calls it may have
     * in flight ({@code concurrentCallsMax}, the bulkhead) and its own circuit breaker: over the last
     * {@code circuitWindowCalls} calls (once at least {@code circuitMinimumCalls} were made), a failure rate at or
     * above {@code circuitFailureRatePercent} opens the circuit for {@code circuitOpenDuration}; then
     * {@code circuitHalfOpenCalls} trial calls decide whether it closes again.
     */
    public record Acquirers(
            @DefaultValue Acquirer alpha,
            @DefaultValue Acquirer beta,
            @DefaultValue Acquirer gamma) {

        /** The acquirers by name, in a fixed order. */
        public Map<String, Acquirer> byName() {
            Map<String, Acquirer> all = new LinkedHashMap<>();
            all.put("alpha", alpha);
            all.put("beta", beta);
            all.put("gamma", gamma);
            return all;
        }

        /** The settings of one acquirer; see {@link Acquirers}. */
        public record Acquirer(
                @DefaultValue("") String url,
                @DefaultValue("2s") Duration timeout,
                @DefaultValue("1s") Duration connectTimeout,
                @DefaultValue("512") int concurrentCallsMax,
                @DefaultValue("50") int circuitFailureRatePercent,
                @DefaultValue("20") int circuitWindowCalls,
                @DefaultValue("10") int circuitMinimumCalls,
                @DefaultValue("10s") Duration circuitOpenDuration,
                @DefaultValue("3") int circuitHalfOpenCalls) {}

        static boolean isHttpUrl(String value) {
            try {
                URI uri = new URI(value);
                return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
            } catch (URISyntaxException e) {
                return false;
            }
        }
    }

    /**
     * The master key ({@code PAYRAIL_MASTER_KEY}, base64): checked, or generated in embedded mode, by
     * {@code EmbeddedInfrastructure} before any bean exists. Never printed.
     */
    public record Master(@DefaultValue("") String key) {
        @Override
        public String toString() {
            return "Master[key=" + (key.isEmpty() ? "" : "(set)") + "]";
        }
    }

    /**
     * The admin side. {@code token} ({@code PAYRAIL_ADMIN_TOKEN}): the prototype's static bearer token, acting as
     * an {@code admin} and audited as "token"; empty: no bearer token is accepted. {@code email}/{@code password}
     * ({@code PAYRAIL_ADMIN_EMAIL}/{@code PAYRAIL_ADMIN_PASSWORD}): the first admin account, created at the first
     * start when no account exists (embedded mode generates the password into the data directory,
     * {@code passwordFile}). {@code sessionTimeout}: a signed-in operator idle this long is logged out.
     * {@code loginAttempts} failed logins per e-mail or per address within {@code loginWindow} lock further
     * attempts until the window has passed. {@code writesPerMinute}: admin changes one actor may make per minute.
     * {@code cookieSecure}: mark the session cookie Secure (behind HTTPS).
     * Never printed.
     */
    public record Admin(@DefaultValue("") String token, @DefaultValue("") String email,
                        @DefaultValue("") String password, @DefaultValue("") String passwordFile,
                        @DefaultValue("8h") Duration sessionTimeout,
                        @DefaultValue("5") int loginAttempts, @DefaultValue("15m") Duration loginWindow,
                        @DefaultValue("600") int writesPerMinute, @DefaultValue("false") boolean cookieSecure) {
        @Override
        public String toString() {
            return "Admin[token=" + (token.isEmpty() ? "" : "(set)") + ", email=" + email + ", password="
                    + (password.isEmpty() ? "" : "(set)") + ", sessionTimeout=" + sessionTimeout + ", loginAttempts="
                    + loginAttempts + ", loginWindow=" + loginWindow + ", writesPerMinute=" + writesPerMinute + "]";
        }
    }

    /** The HTTP edge: how long a client may take to send its request headers ({@code PAYRAIL_HTTP_HEADER_TIMEOUT}). */
    public record Http(@DefaultValue("10s") Duration headerTimeout) {}

    /**
     * Webhook delivery: the retry {@code schedule} (the delay before each attempt, the first usually 0; after the
     * last failed attempt the delivery is dead; default the Standard Webhooks schedule, about 3 days, each delay
     * with up to 10 % jitter), the time-outs of one attempt, the most attempts in flight on this node
     * ({@code inFlightMax}) and to one endpoint ({@code perEndpointMax}), deliveries claimed per round
     * ({@code batch}), the pause when nothing is due ({@code idle}), how long a claimed delivery is reserved for
     * its sender ({@code lease}: after a crash mid-send it is sent again once the lease ends), how long a rotated-out secret still signs
     * ({@code rotationOverlap}), how often the backlog gauges are measured ({@code metrics}), and the server-side
     * request forgery guard used outside embedded mode: {@code allowedHosts} names hosts or IP addresses allowed
     * although private or local, {@code requireHttps} refuses plain http endpoints.
     */
    public record Webhooks(
            @DefaultValue({"0s", "5s", "5m", "30m", "2h", "5h", "10h", "14h", "20h", "24h"}) java.util.List<Duration> schedule,
            @DefaultValue("15s") Duration timeout,
            @DefaultValue("5s") Duration connectTimeout,
            @DefaultValue("512") int inFlightMax,
            @DefaultValue("16") int perEndpointMax,
            @DefaultValue("256") int batch,
            @DefaultValue("50ms") Duration idle,
            @DefaultValue("24h") Duration rotationOverlap,
            @DefaultValue("5s") Duration metrics,
            @DefaultValue("2m") Duration lease,
            @DefaultValue java.util.List<String> allowedHosts,
            @DefaultValue("true") boolean requireHttps) {}

    /**
     * Merchant API keys: how long a rotated-out key keeps working beside its successor ({@code rotationGrace}, so
     * a merchant can roll the new key out without an outage), and how often the keys' {@code last_used_at} is
     * written ({@code lastUsedFlush}; each key is noted at most once a minute, in one batched update per flush).
     */
    public record ApiKeys(
            @DefaultValue("24h") Duration rotationGrace,
            @DefaultValue("10s") Duration lastUsedFlush) {}

    /**
     * Actuator's own port ({@code PAYRAIL_MANAGEMENT_PORT}; unset: the HTTP port) and address
     * ({@code PAYRAIL_MANAGEMENT_ADDRESS}; unset: {@code PAYRAIL_HTTP_ADDRESS}), so Prometheus can scrape a port
     * that is not published with the API. Read by Spring Boot through application.properties.
     */
    public record Management(@Nullable Integer port, @DefaultValue("") String address) {}

    /**
     * The OpenAPI description and Swagger UI ({@code PAYRAIL_API_DOCS_ENABLED}): on by default in embedded mode
     * only (decided by {@code EmbeddedInfrastructure}), so a production node does not publish its whole surface
     * unless asked to. Read by springdoc through application.properties.
     */
    public record Api(@DefaultValue Docs docs) {
        public record Docs(@DefaultValue("false") boolean enabled) {}
    }

    /**
     * The address clients reach this API at ({@code PAYRAIL_PUBLIC_URL}), named as the server in the OpenAPI
     * description; empty: {@code http://127.0.0.1:<port>}. Never taken from a request's Host header, which the
     * client chooses.
     */
    public record Public(@DefaultValue("") String url) {

        static boolean isBaseUrl(String url) {
            try {
                URI uri = new URI(url);
                return uri.isAbsolute() && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                        && uri.getHost() != null && uri.getRawQuery() == null && uri.getRawFragment() == null;
            } catch (URISyntaxException e) {
                return false;
            }
        }
    }

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
