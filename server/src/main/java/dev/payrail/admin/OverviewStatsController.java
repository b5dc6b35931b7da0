package dev.payrail.admin;

import static org.springframework.http.MediaType.APPLICATION_JSON_VALUE;

import dev.payrail.payment.IntakeLatency;
import dev.payrail.payment.PaymentActivity;
import dev.payrail.payment.PaymentStatus;
import dev.payrail.platform.AdminApi;
import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.ApiProblem.FieldProblem;
import dev.payrail.platform.ProblemResponse;
import dev.payrail.platform.QueryParameters;
import dev.payrail.platform.WireName;
import dev.payrail.refund.RefundActivity;
import dev.payrail.refund.RefundStatus;
import dev.payrail.webhook.WebhookBacklog;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code GET /admin-api/stats/overview}: what the console's overview charts, over a recent window that ends now —
 * payments per minute by status, each acquirer's approval rate and latency, refunds per minute, the webhook
 * backlog and its oldest pending delivery, and the intake's p99 latency. Every figure is a bounded read (the
 * window's range of an index, the backlog counted up to a cap) or an in-memory metric, so a console polling it
 * every few seconds costs the same at a million payments as at ten.
 */
@AdminApi
@Tag(name = "Admin: payments", description = AdminApi.BEARER)
@RequiredArgsConstructor
class OverviewStatsController {

    static final int MINUTES_DEFAULT = 60;
    static final int MINUTES_MAX = 180;
    /** Micrometer's default decaying window for percentiles (DistributionStatisticConfig expiry: 2 minutes). */
    static final int INTAKE_WINDOW_SECONDS = 120;

    private final PaymentActivity payments;
    private final RefundActivity refunds;
    private final WebhookBacklog backlog;
    private final IntakeLatency intake;
    private final Clock clock;

    /** One minute (its start, epoch seconds) and how many were created in it, by status (every status present). */
    record MinuteCounts(long minute, Map<String, Long> countsByStatus) {}

    /**
     * One acquirer over the window: authorization attempts for payments created in it, approvals (a later void
     * included), declines; {@code approval_rate} = approved / (approved + declined), null with neither; latencies of
     * the attempts in whole milliseconds, null when none has one.
     */
    record AcquirerStats(String acquirer, long attempts, long approved, long declined, @Nullable Double approvalRate,
                         @Nullable Long latencyP50Ms, @Nullable Long latencyP99Ms) {}

    /**
     * Pending deliveries to enabled endpoints (all merchants, whatever {@code merchant_id} says): exact up to 10,000,
     * above that 10,001 with {@code pending_is_capped}; the oldest one's creation and age (null when none).
     */
    record WebhookStats(long pending, boolean pendingIsCapped, @Nullable Long oldestPendingAt,
                        @Nullable Long oldestPendingAgeSeconds) {}

    /**
     * The intake's ({@code POST /v1/payments}, {@code POST /payments}) p99 latency in milliseconds over about the
     * last 2 minutes, as this node measured it (Micrometer's percentile of {@code http.server.requests}, an
     * HdrHistogram in a decaying window); null when this node served no intake request in that time.
     */
    record IntakeStats(@Nullable Double latencyP99Ms, int windowSeconds) {}

    /** Times in epoch seconds; {@code from} is the first minute of the window, {@code to} now. */
    record Overview(long from, long to, int minutes, @Nullable String merchantId,
                    List<MinuteCounts> paymentsPerMinute, Map<String, Long> paymentsByStatus,
                    List<AcquirerStats> acquirers, List<MinuteCounts> refundsPerMinute,
                    Map<String, Long> refundsByStatus, WebhookStats webhooks, IntakeStats intake) {}

    @Operation(summary = "The overview's figures over the last minutes: payments per minute by status, approval "
            + "rate and latency by acquirer, refunds, webhook backlog, intake p99")
    @ProblemResponse(status = 422, codes = {"validation_failed"})
    @GetMapping(path = "/stats/overview", produces = APPLICATION_JSON_VALUE)
    Overview overview(
            @Parameter(description = "The window: the last N minutes, 1-180 (default 60)",
                    schema = @Schema(type = "integer", minimum = "1", maximum = "180"))
            @RequestParam(name = "minutes", required = false) @Nullable String minutes,
            @Parameter(description = "Only this merchant's payments and refunds (the webhook backlog and the intake "
                    + "latency stay global)", schema = @Schema(type = "string", format = "uuid"))
            @RequestParam(name = "merchant_id", required = false) @Nullable String merchantId) {
        List<FieldProblem> errors = new ArrayList<>();
        int window = minutes(minutes, errors);
        UUID merchant = merchant(merchantId, errors);
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        Instant now = clock.instant();
        Instant from = now.truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(window - 1L));

        Tally paymentCounts = new Tally(PaymentStatus.values());
        payments.perMinute(from, merchant).forEach(c -> paymentCounts.add(c.minute(), c.status(), c.count()));
        Tally refundCounts = new Tally(RefundStatus.values());
        refunds.perMinute(from, merchant).forEach(c -> refundCounts.add(c.minute(), c.status(), c.count()));
        List<AcquirerStats> acquirers = payments.byAcquirer(from, merchant).stream()
                .map(a -> new AcquirerStats(a.acquirer(), a.attempts(), a.approved(), a.declined(),
                        a.approved() + a.declined() == 0 ? null : (double) a.approved() / (a.approved() + a.declined()),
                        a.latencyP50Ms(), a.latencyP99Ms()))
                .toList();
        WebhookBacklog.Backlog pending = backlog.now();
        Instant oldest = pending.oldestCreatedAt();
        OptionalLong p99 = intake.p99Micros();
        return new Overview(from.getEpochSecond(), now.getEpochSecond(), window,
                merchant == null ? null : merchant.toString(),
                paymentCounts.minutes(), paymentCounts.totals, acquirers, refundCounts.minutes(), refundCounts.totals,
                new WebhookStats(pending.pending(), pending.capped(),
                        oldest == null ? null : oldest.getEpochSecond(),
                        oldest == null ? null : Math.max(0, Duration.between(oldest, now).toSeconds())),
                new IntakeStats(p99.isPresent() ? p99.getAsLong() / 1000.0 : null, INTAKE_WINDOW_SECONDS));
    }

    /** Counts by minute and in all, each by status: every status of the lifecycle named, zero where none. */
    private static final class Tally {
        private final List<String> statuses;
        private final Map<Instant, Map<String, Long>> byMinute = new TreeMap<>();
        private final Map<String, Long> totals;

        Tally(WireName[] statuses) {
            this.statuses = Arrays.stream(statuses).map(WireName::wireName).toList();
            this.totals = zeros();
        }

        void add(Instant minute, WireName status, long count) {
            byMinute.computeIfAbsent(minute, m -> zeros()).merge(status.wireName(), count, Long::sum);
            totals.merge(status.wireName(), count, Long::sum);
        }

        List<MinuteCounts> minutes() {
            return byMinute.entrySet().stream()
                    .map(e -> new MinuteCounts(e.getKey().getEpochSecond(), e.getValue())).toList();
        }

        private Map<String, Long> zeros() {
            Map<String, Long> counts = new LinkedHashMap<>();
            statuses.forEach(s -> counts.put(s, 0L));
            return counts;
        }
    }

    private static int minutes(@Nullable String value, List<FieldProblem> errors) {
        Long n = QueryParameters.wholeNumber("minutes", value, 1, MINUTES_MAX, errors);
        return n == null ? MINUTES_DEFAULT : n.intValue();
    }

    private static @Nullable UUID merchant(@Nullable String value, List<FieldProblem> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldProblem("merchant_id", "invalid_format", "Must be a UUID."));
            return null;
        }
    }
}
