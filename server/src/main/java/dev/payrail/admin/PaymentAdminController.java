package dev.payrail.admin;

import static org.springframework.http.MediaType.APPLICATION_JSON_VALUE;

import dev.payrail.audit.AuditLog;
import dev.payrail.merchant.Merchants;
import dev.payrail.payment.Payment;
import dev.payrail.payment.PaymentAttempts;
import dev.payrail.payment.PaymentLifecycle;
import dev.payrail.payment.PaymentSearch;
import dev.payrail.payment.PaymentStatus;
import dev.payrail.payment.PaymentView;
import dev.payrail.payment.Payments;
import dev.payrail.platform.AdminApi;
import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.ApiProblem.FieldProblem;
import dev.payrail.platform.JsonBody;
import dev.payrail.platform.JsonFields;
import dev.payrail.platform.ProblemResponse;
import dev.payrail.platform.QueryParameters;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.JsonNode;

/**
 * The prototype's payment routes of the admin API, with its query strings and answer shapes (times in epoch
 * seconds): the filtered list, one payment, a status set by hand, and the counts its dashboard shows.
 */
@AdminApi
@Tag(name = "Admin: payments", description = AdminApi.BEARER)
@RequiredArgsConstructor
class PaymentAdminController {

    private final Payments payments;
    private final PaymentAttempts attempts;
    private final PaymentLifecycle lifecycle;
    private final Merchants merchants;
    private final TransactionTemplate tx;
    private final AuditLog audit;

    /** A payment in an operator's list: the merchant API's view and the merchant's webhook URL. */
    record AdminPayment(String paymentId, String merchantId, long amount, String currency,
                        @Schema(allowableValues = {"new", "processing", "approved", "declined", "failed"}) String status,
                        String orderId, @Nullable String idempotencyKey, @Nullable String description,
                        long createdAt, long updatedAt, @Nullable String acquirer, @Nullable String declineCode,
                        @Nullable String cardLast4, @Nullable String merchantWebhookUrl,
                        List<PaymentView.AttemptView> attempts) {

        static AdminPayment of(Payment p, @Nullable String webhookUrl, List<PaymentView.AttemptView> attempts) {
            return new AdminPayment(p.paymentId().toString(), p.merchantId().toString(), p.amount(), p.currency(),
                    p.status().wireName(), p.orderId(), p.idempotencyKey(), p.description(),
                    p.createdAt().getEpochSecond(), p.updatedAt().getEpochSecond(), p.acquirer(), p.declineCode(),
                    p.card() == null ? null : p.card().last4(), webhookUrl, attempts);
        }
    }

    /** The prototype's page; {@code total_is_estimate} is Payrail's: true when over 10,000 matches were estimated. */
    record PaymentList(List<AdminPayment> items, long total, int limit, long offset, boolean totalIsEstimate) {}

    /** The body of the status change, for the OpenAPI description; the handler validates the JSON itself. */
    @Schema(name = "SetPaymentStatus")
    record SetStatusBody(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"declined", "failed"},
                    description = "Only from processing; approved is refused (manual_approval_refused)") String status,
            @Schema(maxLength = 500, description = "Why, for the record") String reason) {}

    record Stats(Map<String, Long> countsByStatus, long merchantsTotal, long paymentsTotal,
                 @Schema(description = "True when a status has more than 10,000 payments: its count (and the total) "
                         + "is then PostgreSQL's estimate, not an exact count") boolean estimated) {}

    @Operation(summary = "Payments, filtered, sorted and paged as the prototype's dashboard asks")
    @GetMapping(path = "/payments", produces = APPLICATION_JSON_VALUE)
    PaymentList list(@RequestParam(name = "merchant_id", required = false) String merchantId,
                     @RequestParam(name = "status", required = false) String status,
                     @RequestParam(name = "currency", required = false) String currency,
                     @RequestParam(name = "amount_min", required = false) String amountMin,
                     @RequestParam(name = "amount_max", required = false) String amountMax,
                     @RequestParam(name = "created_from", required = false) String createdFrom,
                     @RequestParam(name = "created_to", required = false) String createdTo,
                     @RequestParam(name = "q", required = false) String q,
                     @RequestParam(name = "limit", required = false) String limit,
                     @RequestParam(name = "offset", required = false) String offset,
                     @RequestParam(name = "sort", required = false) String sort,
                     @RequestParam(name = "order", required = false) String order) {
        List<FieldProblem> errors = new ArrayList<>();
        var search = new PaymentSearch(
                blank(merchantId) ? null : uuid("merchant_id", merchantId, errors),
                blank(status) ? null : status(status, errors),
                blank(currency) ? null : currency(currency, errors),
                QueryParameters.wholeNumber("amount_min", amountMin, 0, Long.MAX_VALUE, errors),
                QueryParameters.wholeNumber("amount_max", amountMax, 0, Long.MAX_VALUE, errors),
                epochSeconds("created_from", createdFrom, errors),
                epochSeconds("created_to", createdTo, errors),
                blank(q) ? null : q.trim(),
                Math.toIntExact(Optional.ofNullable(QueryParameters.wholeNumber("limit", limit, 1, QueryParameters.PAGE_LIMIT_MAX, errors)).orElse(25L)),
                Optional.ofNullable(QueryParameters.wholeNumber("offset", offset, 0, Long.MAX_VALUE, errors)).orElse(0L),
                sort(sort, errors),
                ascending(order, errors));
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        PaymentSearch.Page page = payments.search(search);
        return new PaymentList(page.items().stream()
                .map(listed -> AdminPayment.of(listed.payment(), listed.merchantWebhookUrl(), List.of())).toList(),
                page.total(), search.limit(), search.offset(), page.totalIsEstimate());
    }

    @Operation(summary = "One payment with its attempts")
    @GetMapping(path = "/payments/{paymentId}", produces = APPLICATION_JSON_VALUE)
    AdminPayment get(@PathVariable String paymentId) {
        return view(found(paymentId));
    }

    @Operation(summary = "Set a payment's status by hand: processing -> declined or failed, with a reason",
            description = "Only along the state machine, and never to approved (only an acquirer approves). "
                    + "Recorded as a manual change; the payment's event is raised as for an acquirer's decision.")
    @JsonBody(SetStatusBody.class)
    @ProblemResponse(status = 409, codes = {"illegal_transition", "manual_approval_refused"})
    @PatchMapping(path = "/payments/{paymentId}", consumes = APPLICATION_JSON_VALUE, produces = APPLICATION_JSON_VALUE)
    AdminPayment setStatus(@PathVariable String paymentId, @Parameter(hidden = true) @RequestBody JsonNode body) {
        UUID id = found(paymentId).paymentId();
        JsonFields.object(body);
        List<FieldProblem> errors = new ArrayList<>();
        String wanted = JsonFields.string(body.get("status"), "status", true, 20, errors);
        String reason = JsonFields.string(body.get("reason"), "reason", false, 500, errors);
        PaymentStatus to = wanted == null ? null : status(wanted, errors);
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        String why = reason == null || reason.isBlank() ? "set by hand through the admin API" : reason.trim();
        try {
            PaymentStatus from = found(paymentId).status();
            tx.executeWithoutResult(s -> {
                lifecycle.setByHand(id, to, why, audit.actor().name());
                audit.record("payment.status_set", "payment", id, Map.of("status", from.wireName()),
                        Map.of("status", to.wireName(), "reason", why));
            });
        } catch (PaymentLifecycle.ManualChangeRefused refused) {
            throw new ApiProblem(HttpStatus.CONFLICT, refused.code(), refused.getMessage());
        }
        return view(payments.find(id).orElseThrow());
    }

    @Operation(summary = "Counts for the dashboard",
            description = "Role: viewer. Payments by status, exact up to 10,000 per status; a larger count is "
                    + "PostgreSQL's estimate (estimated: true), as the payment list's total.")
    @GetMapping(path = "/stats", produces = APPLICATION_JSON_VALUE)
    Stats stats() {
        Payments.StatusCounts counted = payments.countByStatus();
        Map<String, Long> byStatus = new LinkedHashMap<>();
        long total = 0;
        for (PaymentStatus s : PaymentStatus.values()) {
            long n = counted.counts().get(s);
            byStatus.put(s.wireName(), n);
            total += n;
        }
        return new Stats(byStatus, merchants.count(), total, counted.estimated());
    }

    private Payment found(String paymentId) {
        return parseUuid(paymentId).flatMap(payments::find)
                .orElseThrow(() -> ApiProblem.notFound("payment_not_found", "No payment with this id."));
    }

    private AdminPayment view(Payment payment) {
        List<PaymentView.AttemptView> tried = PaymentView.of(payment, attempts.of(payment.paymentId())).attempts();
        return AdminPayment.of(payment, merchants.webhookUrl(payment.merchantId()).orElse(null), tried);
    }

    private static boolean blank(@Nullable String value) {
        return value == null || value.isBlank();
    }

    private static Optional<UUID> parseUuid(String value) {
        try {
            return Optional.of(UUID.fromString(value.trim()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static @Nullable UUID uuid(String field, String value, List<FieldProblem> errors) {
        Optional<UUID> id = parseUuid(value);
        if (id.isEmpty()) {
            errors.add(new FieldProblem(field, "invalid_format", "Must be a UUID."));
        }
        return id.orElse(null);
    }

    private static @Nullable PaymentStatus status(String value, List<FieldProblem> errors) {
        for (PaymentStatus s : PaymentStatus.values()) {
            if (s.wireName().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        errors.add(new FieldProblem("status", "invalid_value", "Must be one of new, processing, approved, declined, failed."));
        return null;
    }

    private static @Nullable String currency(String value, List<FieldProblem> errors) {
        String code = value.trim().toUpperCase(Locale.ROOT);
        if (!code.matches("[A-Z]{3}")) {
            errors.add(new FieldProblem("currency", "invalid_format", "Must be 3 letters."));
            return null;
        }
        return code;
    }

    private static @Nullable Instant epochSeconds(String field, @Nullable String value, List<FieldProblem> errors) {
        Long seconds = QueryParameters.wholeNumber(field, value, 0, QueryParameters.EPOCH_SECONDS_MAX, errors);
        return seconds == null ? null : Instant.ofEpochSecond(seconds);
    }

    private static PaymentSearch.Sort sort(@Nullable String value, List<FieldProblem> errors) {
        if (blank(value) || value.trim().equals("created_at")) {
            return PaymentSearch.Sort.CREATED_AT;
        }
        if (value.trim().equals("amount")) {
            return PaymentSearch.Sort.AMOUNT;
        }
        errors.add(new FieldProblem("sort", "invalid_value", "Must be created_at or amount."));
        return PaymentSearch.Sort.CREATED_AT;
    }

    private static boolean ascending(@Nullable String value, List<FieldProblem> errors) {
        if (blank(value) || value.trim().equals("desc")) {
            return false;
        }
        if (value.trim().equals("asc")) {
            return true;
        }
        errors.add(new FieldProblem("order", "invalid_value", "Must be desc or asc."));
        return false;
    }
}
