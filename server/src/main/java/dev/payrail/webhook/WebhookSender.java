package dev.payrail.webhook;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.payrail.merchant.Merchants;
import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.GroupCommit;
import dev.payrail.platform.OutboundHttp;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import dev.payrail.platform.Worker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends due webhook deliveries (role {@code webhooks}). Each round claims what is due (see {@link Deliveries})
 * and sends every delivery on a virtual thread of its own through one pooled HTTP client. In flight are at most
 * {@code PAYRAIL_WEBHOOKS_IN_FLIGHT_MAX} attempts on this node and {@code PAYRAIL_WEBHOOKS_PER_ENDPOINT_MAX} to
 * any one endpoint: an endpoint at its cap is left out of the next claims, so a slow or hanging endpoint ties up
 * only its own share and never delays the deliveries to others.
 *
 * <p>2xx is delivered; anything else (a redirect too: it is not followed), a time-out or a connection error is a
 * failed attempt, retried on the schedule ({@link RetrySchedule}; {@code Retry-After} is honoured for 429, 502,
 * 503 and 504) and dead once the schedule is done. 410 Gone disables the endpoint. An endpoint that failed for a
 * whole schedule without a single success is disabled too, and the operator is told (log line and
 * {@code payrail_webhook_endpoints_disabled_total}). Every attempt is kept.
 */
@Component
@ConditionalOnRole(Role.WEBHOOKS)
class WebhookSender {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    private static final int EXCERPT_BYTES = 1024;
    private static final Set<Integer> RETRY_AFTER_STATUSES = Set.of(429, 502, 503, 504);

    /** Writer threads recording 2xx answers, many per transaction ({@link GroupCommit}). */
    private static final int SUCCESS_WRITER_THREADS = 2;
    private static final int SUCCESS_BATCH_MAX = 256;

    private final Deliveries deliveries;
    private final DataSource dataSource;
    private final GroupCommit<Deliveries.Success> successes;
    private final WebhookEndpoints endpoints;
    private final Merchants merchants;
    private final EndpointUrlPolicy urlPolicy;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final Clock clock;
    private final PayrailProperties.Webhooks settings;
    private final RetrySchedule schedule;
    private final Duration lease;
    private final Semaphore inFlight;
    /** Per endpoint: its attempts in flight on this node and its claimed deliveries waiting for a free slot. */
    private final ConcurrentHashMap<UUID, Lane> lanes = new ConcurrentHashMap<>();
    private volatile @Nullable Worker worker;
    private final ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
    private final OutboundHttp http;
    /** Merchant → api_secret, for {@code X-Signature}; read from the database at most every minute. */
    private final Cache<UUID, Optional<String>> apiSecrets = Caffeine.newBuilder()
            .maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(1)).build();
    /**
     * (Endpoint, its updated_at) → its signing secrets, for a few seconds: saves a read and an AES-GCM open per
     * attempt. A rotation changes updated_at, so the next claim signs with the new secrets at once.
     */
    private final Cache<EndpointVersion, List<String>> signingSecrets = Caffeine.newBuilder()
            .maximumSize(100_000).expireAfterWrite(Duration.ofSeconds(5)).build();
    private final Counter delivered;
    private final Counter retried;
    private final Counter dead;
    private final MeterRegistry meters;
    private final Timer latency;
    private final Timer eventToDelivered;

    WebhookSender(Deliveries deliveries, WebhookEndpoints endpoints, Merchants merchants, EndpointUrlPolicy urlPolicy,
                  DataSource dataSource, TransactionTemplate tx, JsonMapper json, Clock clock,
                  PayrailProperties properties, MeterRegistry meters) {
        this.deliveries = deliveries;
        this.dataSource = dataSource;
        this.endpoints = endpoints;
        this.merchants = merchants;
        this.urlPolicy = urlPolicy;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
        this.settings = properties.webhooks();
        this.successes = new GroupCommit<>("webhook-success-writer", SUCCESS_WRITER_THREADS, settings.inFlightMax(),
                SUCCESS_BATCH_MAX, meters, Deliveries.Success::finished,
                () -> new IllegalStateException("the webhook outcome writer is stopping"), this::writeSuccesses);
        this.schedule = new RetrySchedule(settings.schedule());
        this.lease = settings.lease();
        this.inFlight = new Semaphore(settings.inFlightMax());
        // Endpoints on one host share a route: the per-endpoint cap, not the pool, limits each of them.
        this.http = OutboundHttp.pooled(settings.inFlightMax(), settings.connectTimeout(), settings.timeout(), null,
                urlPolicy.resolver(), "Payrail-Webhooks");
        this.meters = meters;
        this.delivered = outcome(meters, "delivered");
        this.retried = outcome(meters, "retry");
        this.dead = outcome(meters, "dead");
        this.latency = Timer.builder("payrail.webhook.attempt.latency")
                .description("time from sending a webhook to its answer (or failure)")
                .publishPercentileHistogram().register(meters);
        this.eventToDelivered = Timer.builder("payrail.webhook.event.to.delivered")
                .description("from the event (its outbox commit) to the 2xx of its delivery")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram().register(meters);
    }

    private static Counter outcome(MeterRegistry meters, String outcome) {
        return Counter.builder("payrail.webhook.deliveries").description("webhook attempts by what came of them")
                .tag("outcome", outcome).register(meters);
    }

    /** Started before the sender (phase 0) and stopped after it, so every 2xx handed in is recorded. */
    @Bean
    Worker webhookSuccessWriterWorker() {
        return successes.worker();
    }

    @Bean
    Worker webhookSenderWorker(MeterRegistry meters) {
        Worker sender = Worker.named("webhook-sender", meters)
                // In embedded mode the demo endpoint is this node's own receiver: send once it is served.
                .phase(Worker.AFTER_WEB_SERVER)
                .idle(settings.idle())
                .afterStop(this::close)
                .step(this::round);
        this.worker = sender;
        return sender;
    }

    /**
     * One endpoint's share of this node: at most {@code PER_ENDPOINT_MAX} attempts in flight, and the deliveries
     * claimed for it that wait for one of those slots. Claimed deliveries wait here rather than being given back
     * to the database (one update each, and claimed again by the next round): a round claims for an endpoint only
     * while fewer than half a cap of them wait, up to a cap at a time, so a busy endpoint is claimed for in
     * batches and never holds more than one and a half caps of claims.
     */
    private final class Lane {
        private final ArrayDeque<Deliveries.Claimed> queue = new ArrayDeque<>();
        private int busy;

        synchronized boolean hungry() {
            return queue.size() <= settings.perEndpointMax() / 2;
        }

        synchronized void add(Deliveries.Claimed delivery) {
            queue.add(delivery);
        }

        /** The next delivery to send, with its slot taken (and a node-wide permit), or null. */
        synchronized Deliveries.@Nullable Claimed next() {
            if (busy >= settings.perEndpointMax() || queue.isEmpty() || !inFlight.tryAcquire()) {
                return null;
            }
            busy++;
            Deliveries.Claimed next = queue.poll();
            if (queue.size() == settings.perEndpointMax() / 2) {
                wake(); // just became hungry: claim more for it now rather than after the idle pause
            }
            return next;
        }

        synchronized void slotFreed() {
            busy--;
        }

        synchronized boolean idle() {
            return busy == 0 && queue.isEmpty();
        }

        synchronized int waiting() {
            return queue.size();
        }

        synchronized List<Deliveries.Claimed> drain() {
            List<Deliveries.Claimed> left = List.copyOf(queue);
            queue.clear();
            return left;
        }
    }

    /** One round: claim what is due for the endpoints with room, queue it in their lanes and start what can go. */
    Worker.Outcome round() {
        // Claimed deliveries waiting in the lanes, all endpoints together, stay under IN_FLIGHT_MAX.
        int waiting = lanes.values().stream().mapToInt(Lane::waiting).sum();
        int room = Math.min(settings.batch(), settings.inFlightMax() - waiting);
        if (room <= 0) {
            return Worker.Outcome.IDLE;
        }
        List<Deliveries.Claimed> claimed = deliveries.claim(room, settings.perEndpointMax(),
                clock.instant().plus(lease), endpointsNotHungry());
        for (Deliveries.Claimed delivery : claimed) {
            lanes.computeIfAbsent(delivery.endpointId(), id -> new Lane()).add(delivery);
        }
        // Every lane, not only those just fed: one whose slot was freed while the node had no permit to spare is
        // started here at the latest. A lane with nothing claimed or in flight is forgotten (only this thread adds).
        lanes.values().forEach(this::pump);
        lanes.values().removeIf(Lane::idle);
        // Straight on only when the claim was full (more may be due). A claim cut short by the endpoints' shares
        // waits for a lane to ask (wake) or the idle pause: claiming again at once would exclude every endpoint
        // just fed and read the whole due backlog to find nothing.
        return claimed.size() == room ? Worker.Outcome.WORKED : Worker.Outcome.IDLE;
    }

    private Set<UUID> endpointsNotHungry() {
        return lanes.entrySet().stream().filter(e -> !e.getValue().hungry())
                .map(java.util.Map.Entry::getKey).collect(Collectors.toSet());
    }

    /** Starts as many of the lane's waiting deliveries as its slots and the node's permits allow. */
    private void pump(Lane lane) {
        Deliveries.Claimed delivery;
        while ((delivery = lane.next()) != null) {
            Deliveries.Claimed next = delivery;
            if (!leaseLastsAnAttempt(next)) {
                // Waited so long behind a slow endpoint that its lease could end mid-attempt, and another node
                // could send it meanwhile: not sent here; it is due again when the lease ends.
                lane.slotFreed();
                inFlight.release();
                continue;
            }
            virtualThreads.submit(() -> {
                try {
                    send(next, () -> {
                        lane.slotFreed();
                        pump(lane);
                    });
                } catch (RuntimeException e) {
                    // The outcome could not be recorded (database trouble): the lease ends and it is sent again.
                    log.warn("webhook delivery {} not recorded, will be retried after its lease: {}",
                            next.deliveryId(), e.toString());
                } finally {
                    inFlight.release();
                    pump(lane); // the permit just freed may be what its next delivery waited for
                }
            });
        }
    }

    private boolean leaseLastsAnAttempt(Deliveries.Claimed delivery) {
        return clock.instant().plus(settings.timeout()).plus(settings.connectTimeout()).isBefore(delivery.leaseEnd());
    }

    /** There is something to claim (deliveries just queued, a lane with room): claim now, not after the idle pause. */
    void wake() {
        Worker sender = worker;
        if (sender != null) {
            sender.wake();
        }
    }

    private record EndpointVersion(UUID endpointId, Instant updatedAt) {}

    /** The answer to one attempt, or why there was none. */
    record Answer(@Nullable Integer status, @Nullable String excerpt, Optional<Duration> retryAfter,
                  @Nullable String error) {
        boolean success() {
            return status != null && status >= 200 && status < 300;
        }
    }

    /**
     * Sends one delivery and records what came of it. {@code answered} runs as soon as the endpoint has answered
     * (or failed to): the endpoint's slot is free then, while the outcome is still being recorded.
     */
    void send(Deliveries.Claimed delivery, Runnable answered) {
        Instant startedAt = clock.instant();
        long started = System.nanoTime();
        Answer answer;
        try {
            answer = attempt(delivery, startedAt);
        } finally {
            answered.run();
        }
        long elapsed = System.nanoTime() - started;
        latency.record(Duration.ofNanos(elapsed));
        int latencyMs = (int) Math.min(Integer.MAX_VALUE, elapsed / 1_000_000);
        if (answer.success()) {
            recordSuccess(delivery, answer, startedAt, latencyMs);
        } else {
            tx.executeWithoutResult(status -> settleFailure(delivery, answer, startedAt, latencyMs));
        }
    }

    /**
     * A 2xx, the usual answer: recorded with the others of the moment in one transaction, and counted once
     * durable. A failure to record it leaves the delivery to be sent again when its lease ends.
     */
    private void recordSuccess(Deliveries.Claimed delivery, Answer answer, Instant startedAt, int latencyMs) {
        var success = new Deliveries.Success(delivery, UUID.randomUUID(), startedAt, Objects.requireNonNull(answer.status()),
                latencyMs, answer.excerpt(), clock.instant(), new CompletableFuture<>());
        successes.submit(success);
        boolean finished = GroupCommit.await(success.finished(), cause -> notRecorded(delivery, cause));
        if (finished) {
            delivered.increment();
            eventToDelivered.record(Duration.between(delivery.eventCreatedAt(), clock.instant()));
        }
    }

    /**
     * One batch of 2xx answers in one transaction; each on its own if one of them broke the batch, so the others
     * still count.
     */
    private void writeSuccesses(List<Deliveries.Success> batch) {
        GroupCommit.writeEach(dataSource, batch, one -> Deliveries.Claim.of(one.delivery()), Deliveries.Success::finished,
                Deliveries::recordSuccesses, (one, e) -> notRecorded(one.delivery(), e), size -> {});
    }

    private static IllegalStateException notRecorded(Deliveries.Claimed delivery, Throwable cause) {
        return new IllegalStateException("delivery " + delivery.deliveryId() + " not recorded: " + cause.getMessage(),
                cause);
    }

    private Answer attempt(Deliveries.Claimed delivery, Instant startedAt) {
        Optional<String> refused = urlPolicy.refusal(delivery.url());
        if (refused.isPresent()) {
            return new Answer(null, null, Optional.empty(), "refused: " + refused.get());
        }
        List<String> secrets = signingSecrets.get(new EndpointVersion(delivery.endpointId(), delivery.endpointUpdatedAt()),
                version -> endpoints.signingSecrets(version.endpointId()));
        if (secrets.isEmpty()) {
            return new Answer(null, null, Optional.empty(), "the endpoint has no secret");
        }
        byte[] body = body(delivery);
        String id = delivery.eventId().toString();
        long timestamp = startedAt.getEpochSecond();
        HttpPost post = new HttpPost(delivery.url());
        post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        post.setHeader("webhook-id", id);
        post.setHeader("webhook-timestamp", Long.toString(timestamp));
        post.setHeader("webhook-signature", Signatures.standardHeader(secrets, id, timestamp, body));
        apiSecrets.get(delivery.merchantId(), merchants::apiSecret)
                .ifPresent(apiSecret -> post.setHeader("X-Signature", Signatures.legacy(apiSecret, body)));
        try {
            return http.http().execute(post, response -> {
                String excerpt = null;
                if (response.getEntity() != null) {
                    try (InputStream in = response.getEntity().getContent()) {
                        excerpt = new String(in.readNBytes(EXCERPT_BYTES), StandardCharsets.UTF_8);
                    }
                }
                int code = response.getCode();
                Optional<Duration> retryAfter = RETRY_AFTER_STATUSES.contains(code)
                        ? retryAfter(response.getFirstHeader("Retry-After"), clock.instant()) : Optional.empty();
                return new Answer(code, excerpt, retryAfter, code >= 300 && code < 400 ? "redirect not followed" : null);
            });
        } catch (IOException | RuntimeException e) {
            return new Answer(null, null, Optional.empty(), describe(e));
        }
    }

    /** The body: the event with its snapshot, {@code created_at} in epoch seconds like the rest of the API. */
    private byte[] body(Deliveries.Claimed delivery) {
        ObjectNode body = json.createObjectNode();
        body.put("id", delivery.eventId().toString());
        body.put("type", delivery.type());
        body.put("created_at", delivery.eventCreatedAt().getEpochSecond());
        body.put("timestamp", delivery.eventCreatedAt().toString());
        body.set("data", json.readTree(delivery.data()));
        return json.writeValueAsBytes(body);
    }

    private void settleFailure(Deliveries.Claimed delivery, Answer answer, Instant startedAt, int latencyMs) {
        deliveries.recordAttempt(delivery.deliveryId(), startedAt, answer.status(), latencyMs, answer.error(),
                answer.excerpt());
        if (answer.status() != null && answer.status() == 410) {
            deliveries.finish(delivery, "dead");
            dead.increment();
            disable(delivery.endpointId(), "gone: the endpoint answered 410");
            return;
        }
        int failed = delivery.attempts() + 1;
        Optional<Duration> next = schedule.after(failed, answer.retryAfter());
        if (next.isPresent()) {
            if (deliveries.retryAt(delivery, clock.instant().plus(next.get()))) {
                retried.increment();
            }
            return;
        }
        if (deliveries.finish(delivery, "dead")) {
            dead.increment();
            if (!deliveries.endpointSucceededSinceFirstAttemptOf(delivery.endpointId(), delivery.deliveryId())) {
                disable(delivery.endpointId(), "failing: no success during a whole retry schedule");
            }
        }
    }

    private void disable(UUID endpointId, String reason) {
        if (endpoints.disable(endpointId, reason)) {
            Counter.builder("payrail.webhook.endpoints.disabled").description("webhook endpoints disabled by Payrail")
                    .tag("reason", reason.substring(0, reason.indexOf(':'))).register(meters).increment();
            log.warn("webhook endpoint {} disabled ({}); its deliveries wait until it is enabled again",
                    endpointId, reason);
        }
    }

    /** {@code Retry-After} as seconds or an HTTP date; capped at a day. */
    static Optional<Duration> retryAfter(@Nullable Header header, Instant now) {
        if (header == null || header.getValue() == null) {
            return Optional.empty();
        }
        String value = header.getValue().trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.min(86_400, Math.max(0, Long.parseLong(value)))));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(now,
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return Optional.of(until.isNegative() ? Duration.ZERO : until.compareTo(Duration.ofDays(1)) > 0
                        ? Duration.ofDays(1) : until);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    private static String describe(Exception e) {
        String message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return message.length() > 500 ? message.substring(0, 500) : message;
    }

    private void close() {
        // Claimed but never started: due again at once for any node, rather than when their lease ends.
        List<Deliveries.Claimed> unsent = lanes.values().stream().flatMap(lane -> lane.drain().stream()).toList();
        try {
            deliveries.release(unsent);
        } catch (RuntimeException e) {
            log.info("{} claimed webhook deliveries not given back ({}); they are due again when their lease ends",
                    unsent.size(), e.toString());
        }
        virtualThreads.close();
        http.close();
    }
}
