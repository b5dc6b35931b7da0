package dev.payrail.platform;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.boot.convert.DurationStyle;

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

    /**
     * Every setting within its {@link Range} (checked by {@link Limits}, which names the variable), then the rules
     * that tie settings together.
     */
    public PayrailProperties {
        Limits.check(PayrailProperties.class, "PAYRAIL", idempotency, writer, relay, topics, outbox, vault, processing,
                routing, acquirers, master, admin, http, refunds, webhooks, apiKeys, management, api, publicAddress);
        if (processing.route().isEmpty()) {
            throw new IllegalArgumentException("PAYRAIL_PROCESSING_ROUTE must name at least one acquirer");
        }
        acquirers.byName().forEach((name, acquirer) -> {
            if (!acquirer.url().isEmpty() && !Acquirers.isHttpUrl(acquirer.url())) {
                throw new IllegalArgumentException("PAYRAIL_ACQUIRERS_" + name.toUpperCase(Locale.ROOT)
                        + "_URL must be an absolute http or https URL");
            }
        });
        if (webhooks.lease().compareTo(webhooks.timeout().plus(webhooks.connectTimeout())) <= 0) {
            throw new InvalidSettingException("PAYRAIL_WEBHOOKS_LEASE must be longer than PAYRAIL_WEBHOOKS_TIMEOUT "
                    + "plus PAYRAIL_WEBHOOKS_CONNECT_TIMEOUT, or a delivery still being sent would be sent twice");
        }
        if (webhooks.schedule().isEmpty()) {
            throw new InvalidSettingException("PAYRAIL_WEBHOOKS_SCHEDULE must name at least one delay (e.g. 0s,5s,5m)");
        }
        if (admin.email().isBlank() != admin.password().isEmpty()) {
            throw new InvalidSettingException("PAYRAIL_ADMIN_EMAIL and PAYRAIL_ADMIN_PASSWORD go together: set both "
                    + "to create the first admin account, or neither");
        }
        if (!admin.password().isEmpty() && (admin.password().length() < 12 || admin.password().length() > 200)) {
            throw new InvalidSettingException("PAYRAIL_ADMIN_PASSWORD must have 12 to 200 characters");
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
            @DefaultValue("24h") @Range(min = "1m", max = "30d") Duration retention,
            @DefaultValue("10m") @Range(min = "1s", max = "1d") Duration purge) {}

    /**
     * The group-commit writer: transactions in flight ({@code threads}), the most payments one may carry
     * ({@code batch}), the longest a request waits for its commit before answering 503 ({@code timeout}), and
     * how many requests may wait for a writer before the next is refused with 503 ({@code queue}).
     */
    public record Writer(
            @DefaultValue("2") @Range(min = "1", max = "64") int threads,
            @DefaultValue("256") @Range(min = "1", max = "10000") int batch,
            @DefaultValue("10s") @Range(min = "100ms", max = "5m") Duration timeout,
            @DefaultValue("20000") @Range(min = "1", max = "1000000") int queue) {}

    /** The outbox relay: events per Kafka round trip, the pause when the outbox is empty, the pause after a failure. */
    public record Relay(
            @DefaultValue("500") @Range(min = "1", max = "10000") int batch,
            @DefaultValue("50ms") @Range(min = "1ms", max = "10s") Duration idle,
            @DefaultValue("1s") @Range(min = "10ms", max = "5m") Duration backoff) {}

    /** Topic layout, created at start-up: the payments topic's name and partition count. */
    public record Topics(
            @DefaultValue("payments") String payments,
            @DefaultValue("6") @Range(min = "1", max = "1000") int partitions) {}

    /**
     * Published outbox rows: how long they are kept for audits and replays ({@code retention}), how often the
     * relay removes older ones ({@code cleanup}), and how often the lag metrics are measured ({@code metrics}).
     */
    public record Outbox(
            @DefaultValue("7d") @Range(min = "1m", max = "366d") Duration retention,
            @DefaultValue("1h") @Range(min = "1s", max = "1d") Duration cleanup,
            @DefaultValue("5s") @Range(min = "100ms", max = "10m") Duration metrics) {}

    /**
     * The card vault: how long a card number is kept after its payment is final ({@code panRetention}, 0 = at
     * the next sweep) and how often the sweep runs ({@code sweep}). The CVC is always erased at the final status.
     */
    public record Vault(
            @DefaultValue("0s") @Range(min = "0s", max = "400d") Duration panRetention,
            @DefaultValue("1m") @Range(min = "1s", max = "1h") Duration sweep) {}

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
            @DefaultValue("3") @Range(min = "1", max = "10") int attemptsMax,
            @DefaultValue("30s") @Range(min = "1s", max = "1h") Duration staleAfter,
            @DefaultValue("5s") @Range(min = "100ms", max = "10m") Duration janitor,
            @DefaultValue("60s") @Range(min = "1s", max = "1h") Duration notFoundAfter,
            @DefaultValue("512") @Range(min = "1", max = "10000") int inFlightMax) {}

    /**
     * Refunds: how long a refund may stay {@code requested} (its call crashed or timed out) before the settler
     * sends it again ({@code staleAfter}), and how often the settler looks ({@code settler}).
     */
    public record Refunds(
            @DefaultValue("5s") @Range(min = "1s", max = "1h") Duration staleAfter,
            @DefaultValue("1s") @Range(min = "100ms", max = "10m") Duration settler) {}

    /**
     * Routing rules and acquirer switches: how often each processing node checks whether they changed on another
     * node ({@code refresh}); a change made through a node applies there at once.
     */
    public record Routing(
            @DefaultValue("2s") @Range(min = "100ms", max = "1m") Duration refresh) {}

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
                @DefaultValue("2s") @Range(min = "50ms", max = "2m") Duration timeout,
                @DefaultValue("1s") @Range(min = "10ms", max = "30s") Duration connectTimeout,
                @DefaultValue("512") @Range(min = "1", max = "10000") int concurrentCallsMax,
                @DefaultValue("50") @Range(min = "1", max = "100") int circuitFailureRatePercent,
                @DefaultValue("20") @Range(min = "1", max = "10000") int circuitWindowCalls,
                @DefaultValue("10") @Range(min = "1", max = "10000") int circuitMinimumCalls,
                @DefaultValue("10s") @Range(min = "100ms", max = "1h") Duration circuitOpenDuration,
                @DefaultValue("3") @Range(min = "1", max = "1000") int circuitHalfOpenCalls) {}

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
                        @DefaultValue("8h") @Range(min = "1m", max = "30d") Duration sessionTimeout,
                        @DefaultValue("5") @Range(min = "1", max = "1000") int loginAttempts,
                        @DefaultValue("15m") @Range(min = "1s", max = "1d") Duration loginWindow,
                        @DefaultValue("600") @Range(min = "1", max = "1000000") int writesPerMinute,
                        @DefaultValue("false") boolean cookieSecure) {
        @Override
        public String toString() {
            return "Admin[token=" + (token.isEmpty() ? "" : "(set)") + ", email=" + email + ", password="
                    + (password.isEmpty() ? "" : "(set)") + ", sessionTimeout=" + sessionTimeout + ", loginAttempts="
                    + loginAttempts + ", loginWindow=" + loginWindow + ", writesPerMinute=" + writesPerMinute + "]";
        }
    }

    /** The HTTP edge: how long a client may take to send its request headers ({@code PAYRAIL_HTTP_HEADER_TIMEOUT}). */
    public record Http(@DefaultValue("10s") @Range(min = "100ms", max = "10m") Duration headerTimeout) {}

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
            @DefaultValue({"0s", "5s", "5m", "30m", "2h", "5h", "10h", "14h", "20h", "24h"})
            @Range(min = "0s", max = "7d") java.util.List<Duration> schedule,
            @DefaultValue("15s") @Range(min = "100ms", max = "2m") Duration timeout,
            @DefaultValue("5s") @Range(min = "10ms", max = "30s") Duration connectTimeout,
            @DefaultValue("512") @Range(min = "1", max = "100000") int inFlightMax,
            @DefaultValue("16") @Range(min = "1", max = "10000") int perEndpointMax,
            @DefaultValue("256") @Range(min = "1", max = "10000") int batch,
            @DefaultValue("50ms") @Range(min = "1ms", max = "10s") Duration idle,
            @DefaultValue("24h") @Range(min = "0s", max = "30d") Duration rotationOverlap,
            @DefaultValue("5s") @Range(min = "100ms", max = "10m") Duration metrics,
            @DefaultValue("2m") @Range(min = "1s", max = "1h") Duration lease,
            @DefaultValue java.util.List<String> allowedHosts,
            @DefaultValue("true") boolean requireHttps) {}

    /**
     * Merchant API keys: how long a rotated-out key keeps working beside its successor ({@code rotationGrace}, so
     * a merchant can roll the new key out without an outage), and how often the keys' {@code last_used_at} is
     * written ({@code lastUsedFlush}; each key is noted at most once a minute, in one batched update per flush).
     */
    public record ApiKeys(
            @DefaultValue("24h") @Range(min = "0s", max = "30d") Duration rotationGrace,
            @DefaultValue("10s") @Range(min = "100ms", max = "10m") Duration lastUsedFlush) {}

    /**
     * Actuator's own port ({@code PAYRAIL_MANAGEMENT_PORT}; unset: the HTTP port) and address
     * ({@code PAYRAIL_MANAGEMENT_ADDRESS}; unset: {@code PAYRAIL_HTTP_ADDRESS}), so Prometheus can scrape a port
     * that is not published with the API. Read by Spring Boot through application.properties.
     */
    public record Management(@Nullable @Range(min = "1", max = "65535") Integer port, @DefaultValue("") String address) {}

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

    /**
     * The range a setting must lie in, inclusive: whole numbers ({@code "1"}, {@code "10000"}) for a number, Spring's
     * duration format ({@code "100ms"}, {@code "5m"}, {@code "30d"}) for a duration; for a list, each element's.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.RECORD_COMPONENT)
    @interface Range {
        String min();

        String max();
    }

    /**
     * Checks every {@link Range} of a settings tree, its message naming the environment variable (the component's
     * path in upper snake case, as Spring's relaxed binding reads it), for a one-line refusal at start-up.
     */
    static final class Limits {
        private Limits() {}

        /** The settings of {@code type}, given in its components' order, each one's variable under {@code variable}. */
        static void check(Class<? extends Record> type, String variable, Object... values) {
            RecordComponent[] components = type.getRecordComponents();
            for (int i = 0; i < components.length; i++) {
                check(components[i], variable + "_" + variable(components[i]), values[i]);
            }
        }

        private static void check(RecordComponent component, String variable, @Nullable Object value) {
            Range range = component.getAnnotation(Range.class);
            if (range != null && value instanceof Collection<?> each) {
                each.forEach(element -> between(variable, element, range));
            } else if (range != null && value != null) {
                between(variable, value, range);
            } else if (value instanceof Record nested) {
                RecordComponent[] components = nested.getClass().getRecordComponents();
                Object[] values = new Object[components.length];
                for (int i = 0; i < components.length; i++) {
                    values[i] = read(components[i], nested);
                }
                check(nested.getClass(), variable, values);
            }
        }

        private static String variable(RecordComponent component) {
            Name name = component.getAnnotation(Name.class);
            String camel = name != null ? name.value() : component.getName();
            return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        }

        private static @Nullable Object read(RecordComponent component, Record owner) {
            try {
                return component.getAccessor().invoke(owner);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read setting " + component, e);
            }
        }

        private static void between(String variable, Object value, Range range) {
            if (value instanceof Duration duration) {
                between(variable, duration, DurationStyle.detectAndParse(range.min()),
                        DurationStyle.detectAndParse(range.max()));
            } else {
                between(variable, ((Number) value).longValue(), Long.parseLong(range.min()), Long.parseLong(range.max()));
            }
        }

        private static void between(String variable, long value, long min, long max) {
            if (value < min || value > max) {
                throw new InvalidSettingException(variable + " must be between " + min + " and " + max
                        + " (is " + value + ")");
            }
        }

        private static void between(String variable, Duration value, Duration min, Duration max) {
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new InvalidSettingException(variable + " must be between " + text(min) + " and " + text(max)
                        + " (is " + text(value) + ")");
            }
        }

        private static String text(Duration d) {
            return d.toString().substring(2).toLowerCase(Locale.ROOT);
        }
    }
}
