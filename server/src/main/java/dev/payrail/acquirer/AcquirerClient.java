package dev.payrail.acquirer;

import dev.payrail.acquirer.AcquirerOutcome.Approved;
import dev.payrail.acquirer.AcquirerOutcome.Declined;
import dev.payrail.acquirer.AcquirerOutcome.Pending;
import dev.payrail.acquirer.AcquirerOutcome.Unknown;
import dev.payrail.platform.OutboundHttp;
import dev.payrail.platform.PayrailProperties;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Everything about calling one acquirer over HTTP, shared by every adapter: a connection pool of its own, its
 * time-outs, its bulkhead and circuit breaker (Resilience4j), its metrics, and the one place where a transport
 * failure becomes an outcome.
 *
 * <p><b>Sent or not sent.</b> A failure before the request left (connection refused, connect time-out, no free
 * connection, unknown host, circuit open, bulkhead full) is {@link Declined#unavailable()}: the acquirer cannot
 * have acted on it, so the caller may cascade. A failure after it left (no answer in time, connection reset, an
 * unreadable answer) is {@link Unknown}: the acquirer may have approved, so the caller must inquire first.
 *
 * <p><b>Why Apache HttpClient 5 (classic).</b> It is the long-maintained pooled client of the JVM, and it gives us
 * the knobs this job needs that the JDK's {@code HttpClient} lacks: a bounded pool per acquirer (so a slow acquirer
 * cannot take another's connections), separate connect, pool-lease and response time-outs (which is what lets us
 * tell "not sent" from "sent"), validation of a pooled connection idle for more than a second before it is reused
 * (fewer spurious "unknown" outcomes from connections the acquirer closed), eviction of idle connections, and no
 * automatic retries. Its blocking API suits virtual threads, and its pool locks with {@code ReentrantLock}, so a
 * waiting call does not pin its carrier thread.
 *
 * <p>Automatic retries are off on purpose: whether a call that may have been processed is sent again is the
 * processing core's decision, after an inquiry, never the HTTP client's.
 *
 * <p>Metrics: {@code payrail_acquirer_calls_total{acquirer, operation, outcome}} and the latency histogram
 * {@code payrail_acquirer_latency_seconds} with the same tags (outcome = approved, declined, pending, unknown or
 * unavailable); {@code payrail_acquirer_circuit_state{acquirer, state}} (1 for the current state, else 0) and
 * {@code payrail_acquirer_bulkhead_available{acquirer}} (free call slots).
 */
final class AcquirerClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AcquirerClient.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Acquirer answers are a few hundred bytes; a bigger one is cut here and then fails to parse. */
    private static final int ANSWER_BYTES_MAX = 64 * 1024;
    /** A pooled connection idle this long is checked before reuse: the acquirer may have closed it meanwhile. */
    private static final Duration VALIDATE_AFTER_IDLE = Duration.ofSeconds(1);

    private final String name;
    private final Supplier<Optional<String>> baseUrl;
    private final Duration timeout;
    private final OutboundHttp http;
    private final CircuitBreaker circuit;
    private final Bulkhead bulkhead;
    private final MeterRegistry meters;

    /**
     * @param baseUrl the acquirer's base URL without a trailing slash; empty while it is not known yet (the node's
     *                own port before its web server has started), which makes every call "not sent"
     */
    AcquirerClient(String name, Supplier<Optional<String>> baseUrl, PayrailProperties.Acquirers.Acquirer settings,
                   Clock clock, MeterRegistry meters) {
        this.name = name;
        this.baseUrl = baseUrl;
        this.timeout = settings.timeout();
        this.meters = meters;
        // As many connections as the bulkhead lets calls through, so a call never waits for one.
        this.http = OutboundHttp.pooled(settings.concurrentCallsMax(), settings.connectTimeout(), settings.timeout(),
                VALIDATE_AFTER_IDLE, null, "Payrail");
        this.circuit = CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.circuitWindowCalls())
                .minimumNumberOfCalls(settings.circuitMinimumCalls())
                .failureRateThreshold(settings.circuitFailureRatePercent())
                .waitDurationInOpenState(settings.circuitOpenDuration())
                .permittedNumberOfCallsInHalfOpenState(settings.circuitHalfOpenCalls())
                .clock(clock)
                .build());
        // No waiting for a slot: a call that cannot start now is better cascaded than queued behind a slow acquirer.
        this.bulkhead = Bulkhead.of(name, BulkheadConfig.custom()
                .maxConcurrentCalls(settings.concurrentCallsMax())
                .maxWaitDuration(Duration.ZERO)
                .build());
        circuit.getEventPublisher().onStateTransition(event ->
                log.warn("acquirer {}: circuit {} -> {}", name, event.getStateTransition().getFromState(),
                        event.getStateTransition().getToState()));
        for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
            Gauge.builder("payrail.acquirer.circuit.state", circuit, c -> c.getState() == state ? 1 : 0)
                    .description("1 for the current state of the acquirer's circuit breaker, else 0")
                    .tag("acquirer", name).tag("state", state.name().toLowerCase(Locale.ROOT))
                    .register(meters);
        }
        Gauge.builder("payrail.acquirer.bulkhead.available", bulkhead, b -> b.getMetrics().getAvailableConcurrentCalls())
                .description("calls the acquirer's bulkhead would still let through now")
                .tag("acquirer", name).register(meters);
    }

    String name() {
        return name;
    }

    /** Where the acquirer is reached; empty while this node's own address is not known yet. */
    Optional<String> baseUrl() {
        return baseUrl.get();
    }

    /** The circuit breaker's state, e.g. {@code CLOSED} or {@code OPEN}, for operators and tests. */
    String circuitState() {
        return circuit.getState().name();
    }

    /** Sends the request (when the circuit and the bulkhead let it) and returns what it ended in. Never throws. */
    AcquirerOutcome call(AcquirerRequest request, AcquirerMapper mapper) {
        long startNanos = System.nanoTime();
        AcquirerOutcome outcome;
        if (!circuit.tryAcquirePermission()) {
            outcome = notSent(request, "its circuit is open");
        } else if (!bulkhead.tryAcquirePermission()) {
            circuit.releasePermission();
            outcome = notSent(request, "all " + bulkhead.getBulkheadConfig().getMaxConcurrentCalls()
                    + " call slots are busy");
        } else {
            try {
                outcome = exchange(request, mapper);
            } finally {
                bulkhead.onComplete();
            }
            long elapsedNanos = System.nanoTime() - startNanos;
            if (countsAsFailure(outcome)) {
                circuit.onError(elapsedNanos, TimeUnit.NANOSECONDS, new AcquirerFailure(outcome));
            } else {
                circuit.onSuccess(elapsedNanos, TimeUnit.NANOSECONDS);
            }
        }
        record(request.operation(), outcome, System.nanoTime() - startNanos);
        return outcome;
    }

    private AcquirerOutcome exchange(AcquirerRequest request, AcquirerMapper mapper) {
        Optional<String> base = baseUrl.get();
        if (base.isEmpty()) {
            return notSent(request, "its address is not known yet (this node's web server has not started)");
        }
        String uri = base.get() + request.path();
        ClassicHttpRequest message = switch (request.method()) {
            case GET -> ClassicRequestBuilder.get(uri).build();
            case POST -> ClassicRequestBuilder.post(uri)
                    .setEntity(request.body() == null ? "{}" : request.body(), ContentType.APPLICATION_JSON)
                    .build();
        };
        message.setHeader("Accept", "application/json");
        try {
            return http.http().execute(message, response -> mapper.outcome(answer(response)));
        } catch (ConnectException | ConnectTimeoutException | ConnectionRequestTimeoutException
                 | UnknownHostException | NoRouteToHostException e) {
            return notSent(request, describe(e));
        } catch (SocketTimeoutException e) {
            return unknown(request, "no answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return unknown(request, "the connection failed after the request was sent: " + describe(e));
        }
    }

    private static AcquirerAnswer answer(ClassicHttpResponse response) throws IOException {
        HttpEntity entity = response.getEntity();
        byte[] bytes = entity == null ? new byte[0] : EntityUtils.toByteArray(entity, ANSWER_BYTES_MAX);
        JsonNode body = null;
        if (bytes.length > 0) {
            try {
                body = JSON.readTree(bytes);
            } catch (JacksonException notJson) {
                body = null; // the mapper decides what a body it cannot read means for this status
            }
        }
        return new AcquirerAnswer(response.getCode(), body);
    }

    private AcquirerOutcome notSent(AcquirerRequest request, String why) {
        log.debug("acquirer {}: {} not sent: {}", name, request, why);
        return Declined.unavailable();
    }

    private AcquirerOutcome unknown(AcquirerRequest request, String why) {
        log.warn("acquirer {}: {} outcome unknown: {}", name, request, why);
        return new Unknown(why);
    }

    /** What the circuit counts against the acquirer: it did not answer, or answered that it cannot work. */
    private static boolean countsAsFailure(AcquirerOutcome outcome) {
        return switch (outcome) {
            case Unknown unknown -> true;
            case Declined declined -> declined.isUnavailable();
            case Approved approved -> false;
            case Pending pending -> false;
        };
    }

    private void record(String operation, AcquirerOutcome outcome, long elapsedNanos) {
        String tag = switch (outcome) {
            case Approved approved -> "approved";
            case Declined declined -> declined.isUnavailable() ? "unavailable" : "declined";
            case Pending pending -> "pending";
            case Unknown unknown -> "unknown";
        };
        Counter.builder("payrail.acquirer.calls").description("calls to an acquirer, by operation and outcome")
                .tag("acquirer", name).tag("operation", operation).tag("outcome", tag)
                .register(meters).increment();
        Timer.builder("payrail.acquirer.latency").description("time of a call to an acquirer, including refusals")
                .tag("acquirer", name).tag("operation", operation).tag("outcome", tag)
                .publishPercentileHistogram()
                .register(meters).record(elapsedNanos, TimeUnit.NANOSECONDS);
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    @Override
    public void close() {
        http.close();
    }

    /** What the circuit breaker records for a failed call; never thrown. */
    private static final class AcquirerFailure extends RuntimeException {
        AcquirerFailure(AcquirerOutcome outcome) {
            super(outcome.toString(), null, false, false);
        }
    }
}
