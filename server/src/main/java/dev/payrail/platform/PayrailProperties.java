package dev.payrail.platform;

import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.boot.convert.DurationStyle;

/**
 * Payrail's settings, one validated tree. Each maps to an environment variable by Spring's relaxed binding:
 * dots become underscores, so {@code payrail.writer.batch} is {@code PAYRAIL_WRITER_BATCH}, and a camel-case
 * name takes an underscore too ({@code payrail.vault.panRetention} is {@code PAYRAIL_VAULT_PAN_RETENTION}).
 * Defaults and allowed ranges are in the {@link SettingsTable} ({@code payrail-settings.tsv}), one row per
 * component here. Every value is checked when the application starts; one out of range stops the start with a
 * line naming the variable and its allowed range, rather than misbehaving later.
 *
 * <p>The infrastructure settings ({@code payrail.db.*}, {@code payrail.kafka.bootstrap}, {@code payrail.data.dir})
 * are read before any bean exists, by {@code EmbeddedInfrastructure}; {@code payrail.roles} by
 * {@link ConditionalOnRole}.
 */
@ConfigurationProperties("payrail")
public record PayrailProperties(Idempotency idempotency, Writer writer, Relay relay, Topics topics, Outbox outbox,
        Vault vault, Processing processing, Routing routing, Acquirers acquirers, Master master, Admin admin, Http http,
        Refunds refunds, Webhooks webhooks, ApiKeys apiKeys, Management management, Api api,
        @Name("public") Public publicAddress) {

    /**
     * Every setting within its range in the {@link SettingsTable} (checked by {@link Limits}, which names the
     * variable), then the rules that tie settings together.
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
    public record Idempotency(Duration retention, Duration purge) {}

    /**
     * The group-commit writer: transactions in flight ({@code threads}), the most payments one may carry
     * ({@code batch}), the longest a request waits for its commit before answering 503 ({@code timeout}), and
     * how many requests may wait for a writer before the next is refused with 503 ({@code queue}).
     */
    public record Writer(int threads, int batch, Duration timeout, int queue) {}

    /** The outbox relay: events per Kafka round trip, the pause when the outbox is empty, the pause after a failure. */
    public record Relay(int batch, Duration idle, Duration backoff) {}

    /** Topic layout, created at start-up: the payments topic's name and partition count. */
    public record Topics(String payments, int partitions) {}

    /**
     * Published outbox rows: how long they are kept for audits and replays ({@code retention}), how often the
     * relay removes older ones ({@code cleanup}), and how often the lag metrics are measured ({@code metrics}).
     */
    public record Outbox(Duration retention, Duration cleanup, Duration metrics) {}

    /**
     * The card vault: how long a card number is kept after its payment is final ({@code panRetention}, 0 = at
     * the next sweep) and how often the sweep runs ({@code sweep}). The CVC is always erased at the final status.
     */
    public record Vault(Duration panRetention, Duration sweep) {}

    /**
     * Processing: the default route (acquirers in the order they are tried), the most attempts per payment, how
     * long a payment may sit in {@code processing} before the janitor takes it up again ({@code staleAfter}), how
     * often the janitor looks ({@code janitor}), and how long after an attempt an acquirer's "never heard of it"
     * is believed ({@code notFoundAfter}; before that the call may still be in flight), and how many payments one
     * node works on at once ({@code inFlightMax}; more wait their turn instead of overflowing the acquirers'
     * bulkheads, which would cascade or fail payments only because this node sent too many at once).
     */
    public record Processing(List<String> route, int attemptsMax, Duration staleAfter, Duration janitor,
            Duration notFoundAfter, int inFlightMax) {}

    /**
     * Refunds: how long a refund may stay {@code requested} (its call crashed or timed out) before the settler
     * sends it again ({@code staleAfter}), and how often the settler looks ({@code settler}).
     */
    public record Refunds(Duration staleAfter, Duration settler) {}

    /**
     * Routing rules and acquirer switches: how often each processing node checks whether they changed on another
     * node ({@code refresh}); a change made through a node applies there at once.
     */
    public record Routing(Duration refresh) {}

    /**
     * Calls to the acquirers, one entry per acquirer Payrail has an adapter for. Each acquirer has its own address
     * ({@code url}; empty: the simulator of that name on this node), its own time-outs, the most calls it may have
     * in flight ({@code concurrentCallsMax}, the bulkhead) and its own circuit breaker: over the last
     * {@code circuitWindowCalls} calls (once at least {@code circuitMinimumCalls} were made), a failure rate at or
     * above {@code circuitFailureRatePercent} opens the circuit for {@code circuitOpenDuration}; then
     * {@code circuitHalfOpenCalls} trial calls decide whether it closes again.
     */
    public record Acquirers(Acquirer alpha, Acquirer beta, Acquirer gamma) {

        /** The acquirers by name, in a fixed order. */
        public Map<String, Acquirer> byName() {
            Map<String, Acquirer> all = new LinkedHashMap<>();
            all.put("alpha", alpha);
            all.put("beta", beta);
            all.put("gamma", gamma);
            return all;
        }

        /** The settings of one acquirer; see {@link Acquirers}. */
        public record Acquirer(String url, Duration timeout, Duration connectTimeout, int concurrentCallsMax,
                int circuitFailureRatePercent, int circuitWindowCalls, int circuitMinimumCalls,
                Duration circuitOpenDuration, int circuitHalfOpenCalls) {}

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
    public record Master(String key) {
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
    public record Admin(String token, String email, String password, String passwordFile, Duration sessionTimeout,
            int loginAttempts, Duration loginWindow, int writesPerMinute, boolean cookieSecure) {
        @Override
        public String toString() {
            return "Admin[token=" + (token.isEmpty() ? "" : "(set)") + ", email=" + email + ", password="
                    + (password.isEmpty() ? "" : "(set)") + ", sessionTimeout=" + sessionTimeout + ", loginAttempts="
                    + loginAttempts + ", loginWindow=" + loginWindow + ", writesPerMinute=" + writesPerMinute + "]";
        }
    }

    /** The HTTP edge: how long a client may take to send its request headers ({@code PAYRAIL_HTTP_HEADER_TIMEOUT}). */
    public record Http(Duration headerTimeout) {}

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
    public record Webhooks(List<Duration> schedule, Duration timeout, Duration connectTimeout, int inFlightMax,
            int perEndpointMax, int batch, Duration idle, Duration rotationOverlap, Duration metrics, Duration lease,
            List<String> allowedHosts, boolean requireHttps) {}

    /**
     * Merchant API keys: how long a rotated-out key keeps working beside its successor ({@code rotationGrace}, so
     * a merchant can roll the new key out without an outage), and how often the keys' {@code last_used_at} is
     * written ({@code lastUsedFlush}; each key is noted at most once a minute, in one batched update per flush).
     */
    public record ApiKeys(Duration rotationGrace, Duration lastUsedFlush) {}

    /**
     * Actuator's own port ({@code PAYRAIL_MANAGEMENT_PORT}; unset: the HTTP port) and address
     * ({@code PAYRAIL_MANAGEMENT_ADDRESS}; unset: {@code PAYRAIL_HTTP_ADDRESS}), so Prometheus can scrape a port
     * that is not published with the API. Read by Spring Boot through application.properties.
     */
    public record Management(@Nullable Integer port, String address) {}

    /**
     * The OpenAPI description and Swagger UI ({@code PAYRAIL_API_DOCS_ENABLED}): on by default in embedded mode
     * only (decided by {@code EmbeddedInfrastructure}), so a production node does not publish its whole surface
     * unless asked to. Read by springdoc through application.properties.
     */
    public record Api(Docs docs) {
        public record Docs(boolean enabled) {}
    }

    /**
     * The address clients reach this API at ({@code PAYRAIL_PUBLIC_URL}), named as the server in the OpenAPI
     * description; empty: {@code http://127.0.0.1:<port>}. Never taken from a request's Host header, which the
     * client chooses.
     */
    public record Public(String url) {

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
     * Checks every setting against its range in the {@link SettingsTable}, the message naming the environment
     * variable (the component's path in upper snake case, as Spring's relaxed binding reads it), for a one-line
     * refusal at start-up; and that the table and the records name the same settings, so neither can drift.
     */
    static final class Limits {
        private Limits() {}

        /** The settings of {@code type}, given in its components' order, each one's variable under {@code variable}. */
        static void check(Class<? extends Record> type, String variable, Object... values) {
            Set<String> seen = new HashSet<>();
            walk(type, variable, values, seen);
            Set<String> unknown = new TreeSet<>(SettingsTable.variables());
            unknown.removeAll(seen);
            if (!unknown.isEmpty()) {
                throw new IllegalStateException("payrail-settings.tsv names settings PayrailProperties has not: "
                        + unknown);
            }
        }

        private static void walk(Class<? extends Record> type, String variable, Object[] values, Set<String> seen) {
            RecordComponent[] components = type.getRecordComponents();
            Parameter[] parameters = canonicalParameters(type, components);
            for (int i = 0; i < components.length; i++) {
                // @Name applies to parameters only, so it is on the canonical constructor's, not on the component.
                Name alias = parameters[i].getAnnotation(Name.class);
                String name = variable + "_"
                        + Text.snakeCase(alias != null ? alias.value() : components[i].getName()).toUpperCase(Locale.ROOT);
                if (values[i] instanceof Record nested) {
                    RecordComponent[] inner = nested.getClass().getRecordComponents();
                    Object[] innerValues = new Object[inner.length];
                    for (int j = 0; j < inner.length; j++) {
                        innerValues[j] = read(inner[j], nested);
                    }
                    walk(nested.getClass(), name, innerValues, seen);
                } else {
                    check(name, values[i]);
                    seen.add(name);
                }
            }
        }

        private static void check(String variable, @Nullable Object value) {
            SettingsTable.Row row = SettingsTable.row(variable);
            if (row == null) {
                throw new IllegalStateException(variable + " has no row in payrail-settings.tsv");
            }
            if (row.min() == null || row.max() == null || value == null) {
                return;
            }
            if (value instanceof Collection<?> each) {
                each.forEach(element -> between(variable, element, row.min(), row.max()));
            } else {
                between(variable, value, row.min(), row.max());
            }
        }

        private static Parameter[] canonicalParameters(Class<? extends Record> type, RecordComponent[] components) {
            Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            try {
                return type.getDeclaredConstructor(types).getParameters();
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("a record has its canonical constructor", e);
            }
        }

        private static @Nullable Object read(RecordComponent component, Record owner) {
            try {
                return component.getAccessor().invoke(owner);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read setting " + component, e);
            }
        }

        private static void between(String variable, Object value, String min, String max) {
            if (value instanceof Duration duration) {
                between(variable, duration, DurationStyle.detectAndParse(min), DurationStyle.detectAndParse(max));
            } else {
                between(variable, ((Number) value).longValue(), Long.parseLong(min), Long.parseLong(max));
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
