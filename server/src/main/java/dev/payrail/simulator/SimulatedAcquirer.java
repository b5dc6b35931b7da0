package dev.payrail.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One simulated acquirer's behaviour: its knobs, its named fault switches and the decision for each request. It
 * does no I/O, so a test can drive it with a seeded random generator and any instant. The state is in memory, per
 * node; the books are in PostgreSQL ({@link SimulatorLedger}).
 *
 * <p>Order of decision for an authorization: down → "unavailable" (decided by the caller of {@link #isDown});
 * fail next N → 5xx; time out next N → the answer comes late (outcome decided as usual); expired card (by the
 * injected clock's month) → hard decline; a test card's fixed outcome; otherwise the knobs' rates.
 */
final class SimulatedAcquirer {

    /** Random declines: a soft one (another acquirer may approve) and two hard ones. */
    private static final List<Decline> RANDOM_DECLINES = List.of(
            new Decline("do_not_honor", Decision.SOFT),
            new Decline("insufficient_funds", Decision.HARD),
            new Decline("generic_decline", Decision.HARD));

    private record Decline(String code, String type) {}

    private final SimulatorProfile profile;
    private final Knobs defaults;
    private final AtomicReference<Knobs> knobs;
    private final AtomicInteger failNext = new AtomicInteger();
    private final AtomicInteger timeoutNext = new AtomicInteger();
    private final AtomicReference<@Nullable Instant> downUntil = new AtomicReference<>();
    private final AtomicLong requestsReceived = new AtomicLong();
    private final ReentrantLock randomLock = new ReentrantLock();
    private final RandomGenerator random;

    private static final Duration WORK_MARGIN = Duration.ofSeconds(5);

    SimulatedAcquirer(SimulatorProfile profile, Duration lateAnswer, RandomGenerator random) {
        this.profile = profile;
        this.defaults = profile.defaultKnobs(Math.toIntExact(lateAnswer.toMillis()));
        this.knobs = new AtomicReference<>(defaults);
        this.random = random;
    }

    String name() {
        return profile.wireName();
    }

    Knobs knobs() {
        return knobs.get();
    }

    /** Applies a {@code PUT …/knobs} body (see {@link Knobs#with}); nothing changes when a field is bad. */
    Knobs changeKnobs(JsonNode body) {
        return knobs.updateAndGet(current -> current.with(body));
    }

    /** Back to the acquirer's defaults, every switch off. */
    void reset() {
        knobs.set(defaults);
        failNext.set(0);
        timeoutNext.set(0);
        downUntil.set(null);
    }

    /** The next {@code count} authorizations, refunds and voids fail with a 5xx (0 turns the switch off). */
    void failNext(int count) {
        failNext.set(count);
    }

    /** The next {@code count} authorizations answer only after the late-answer delay (0 turns it off). */
    void timeoutNext(int count) {
        timeoutNext.set(count);
    }

    /** Answers every request "unavailable", having done nothing, until {@code until} (null: up again). */
    void downUntil(@Nullable Instant until) {
        downUntil.set(until);
    }

    boolean isDown(Instant now) {
        Instant until = downUntil.get();
        return until != null && now.isBefore(until);
    }

    Optional<Instant> downUntil() {
        return Optional.ofNullable(downUntil.get());
    }

    /** Whether a "fail the next N" or "time out the next N" switch has calls left. */
    boolean switchesSet() {
        return failNext.get() > 0 || timeoutNext.get() > 0;
    }

    int failNextCount() {
        return failNext.get();
    }

    int timeoutNextCount() {
        return timeoutNext.get();
    }

    /** Counts a request that reached this simulator, whatever became of it. */
    void received() {
        requestsReceived.incrementAndGet();
    }

    long requestsReceived() {
        return requestsReceived.get();
    }

    /** What to do with an authorization of this card (expiry as sent), at {@code now}. */
    Decision decideAuthorization(@Nullable String cardNumber, int expMonth, int expYear, Instant now) {
        Knobs k = knobs.get();
        Duration latency = latency(k);
        if (takeOne(failNext)) {
            return Decision.error(latency);
        }
        Duration delay = takeOne(timeoutNext) ? k.lateAnswer() : latency;
        if (cardNumber != null
                && YearMonth.of(expYear, expMonth).isBefore(YearMonth.from(now.atOffset(ZoneOffset.UTC)))) {
            return Decision.declined("expired_card", Decision.HARD, delay);
        }
        Optional<TestCard> testCard = cardNumber == null ? Optional.empty() : TestCard.of(cardNumber);
        if (testCard.isPresent()) {
            return forTestCard(testCard.get(), delay, k);
        }
        double draw = nextDouble();
        if (draw < k.errorRate()) {
            return Decision.error(delay);
        }
        if (draw < k.errorRate() + k.timeoutRate()) {
            delay = k.lateAnswer();
        }
        if (nextDouble() < k.approvalRate()) {
            return Decision.approved(delay);
        }
        Decline decline = RANDOM_DECLINES.get(nextInt(RANDOM_DECLINES.size()));
        return Decision.declined(decline.code(), decline.type(), delay);
    }

    /**
     * Whether a refund or a void fails with a 5xx (the fail-next switch), and the latency it answers after.
     * Whether it succeeds is decided against the books, not here.
     */
    Decision decideFollowUp() {
        Duration latency = latency(knobs.get());
        return takeOne(failNext) ? Decision.error(latency) : Decision.approved(latency);
    }

    private Decision forTestCard(TestCard card, Duration delay, Knobs k) {
        return switch (card) {
            case APPROVED -> Decision.approved(delay);
            case GENERIC_DECLINE -> Decision.declined("generic_decline", Decision.HARD, delay);
            case INSUFFICIENT_FUNDS -> Decision.declined("insufficient_funds", Decision.HARD, delay);
            case EXPIRED_CARD -> Decision.declined("expired_card", Decision.HARD, delay);
            case PROCESSING_ERROR -> Decision.error(delay);
            case APPROVED_EXCEPT_ON_ALPHA -> profile.softDeclinesRetryCard()
                    ? Decision.declined("do_not_honor_retry", Decision.SOFT, delay)
                    : Decision.approved(delay);
            case APPROVED_LATE -> Decision.approved(k.lateAnswer());
        };
    }

    /**
     * How long after its last change a {@code pending} row can still be in the works: the longest answer this
     * acquirer gives (a late one, or the slowest latency) plus a margin. A row pending for longer was abandoned —
     * the process working on it died — and is settled as such when next asked about.
     */
    Duration workHorizon() {
        Knobs k = knobs.get();
        return k.lateAnswer().plusMillis((long) k.latencyMeanMs() + k.latencySpreadMs()).plus(WORK_MARGIN);
    }

    /** Uniform in mean ± spread, never negative. */
    Duration latency(Knobs k) {
        int low = Math.max(0, k.latencyMeanMs() - k.latencySpreadMs());
        int high = k.latencyMeanMs() + k.latencySpreadMs();
        return Duration.ofMillis(high <= low ? low : low + nextInt(high - low + 1));
    }

    private static boolean takeOne(AtomicInteger switchCount) {
        return switchCount.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    private double nextDouble() {
        randomLock.lock();
        try {
            return random.nextDouble();
        } finally {
            randomLock.unlock();
        }
    }

    private int nextInt(int bound) {
        randomLock.lock();
        try {
            return random.nextInt(bound);
        } finally {
            randomLock.unlock();
        }
    }
}
