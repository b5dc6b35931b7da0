package dev.payrail.refund.web;

import static org.springframework.http.MediaType.APPLICATION_JSON_VALUE;

import dev.payrail.audit.AuditLog;
import dev.payrail.platform.AdminApi;
import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.JsonBody;
import dev.payrail.platform.ProblemResponse;
import dev.payrail.platform.QueryParameters;
import dev.payrail.platform.StrictJsonBody;
import dev.payrail.refund.Refund;
import dev.payrail.refund.RefundService;
import dev.payrail.refund.RefundService.RefundOrder;
import dev.payrail.refund.RefundStatus;
import dev.payrail.refund.Refunds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.JsonNode;

/**
 * The operator's refund routes of the prototype's contract, under {@code /admin-api} and {@code /api/admin-api}
 * (both guarded by the admin token filter). Refunds made here take the merchant API's path through
 * {@link RefundService} — same checks, same 409s, same acquirer call — the simulator deciding the outcome, or
 * told it by {@code result} / {@code success}. Times are epoch seconds, as in the prototype.
 */
@AdminApi
@Tag(name = "Admin: refunds", description = AdminApi.BEARER)
@RequiredArgsConstructor
class RefundAdminController {

    static final int LIMIT_DEFAULT = 25;

    private final RefundService service;
    private final Refunds refunds;
    private final AuditLog audit;

    /** A refund as the prototype's admin API showed it. */
    record AdminRefund(String refundId, String paymentId, long amount, String currency,
                       @Schema(allowableValues = {"requested", "succeeded", "failed"}) String status,
                       @Nullable String reason, long createdAt) {

        static AdminRefund of(Refund r) {
            return new AdminRefund(r.refundId().toString(), r.paymentId().toString(), r.amount(), r.currency(),
                    r.status().wireName(), r.reason(), r.createdAt().getEpochSecond());
        }
    }

    /** The bodies of the two POST routes, for the OpenAPI description; the handlers validate the JSON themselves. */
    @Schema(name = "CreateAdminRefund")
    record AdminRefundBody(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) long amount, String reason,
                           @Schema(description = "The outcome the simulator gives it",
                                   allowableValues = {"succeeded", "failed"}) String result) {}

    @Schema(name = "SimulateRefund")
    record SimulateRefundBody(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) long amount, String reason,
                              @Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean success) {}

    /** A page of refunds and how many match in all. */
    record AdminRefundPage(List<AdminRefund> items, long total, int limit, long offset) {}

    @Operation(summary = "Refunds, filtered: payment_id, status, created_from/created_to (epoch s, inclusive), "
            + "limit (1-200, default 25), offset, order (desc|asc by creation)")
    @GetMapping(path = "/refunds", produces = APPLICATION_JSON_VALUE)
    AdminRefundPage list(@RequestParam(name = "payment_id", required = false) @Nullable String paymentId,
                         @RequestParam(name = "status", required = false) @Nullable String status,
                         @RequestParam(name = "created_from", required = false) @Nullable String createdFrom,
                         @RequestParam(name = "created_to", required = false) @Nullable String createdTo,
                         @RequestParam(name = "limit", required = false) @Nullable String limit,
                         @RequestParam(name = "offset", required = false) @Nullable String offset,
                         @RequestParam(name = "order", required = false) @Nullable String order) {
        UUID payment = blank(paymentId) ? null : RefundBodies.paymentId(paymentId.trim())
                .orElseThrow(() -> invalid("payment_id must be a payment id."));
        RefundStatus wanted = blank(status) ? null : status(status.trim());
        Instant from = blank(createdFrom) ? null : Instant.ofEpochSecond(whole(createdFrom, "created_from", 0, QueryParameters.EPOCH_SECONDS_MAX));
        Instant to = blank(createdTo) ? null : Instant.ofEpochSecond(whole(createdTo, "created_to", 0, QueryParameters.EPOCH_SECONDS_MAX));
        int pageLimit = blank(limit) ? LIMIT_DEFAULT : (int) whole(limit, "limit", 1, QueryParameters.PAGE_LIMIT_MAX);
        long pageOffset = blank(offset) ? 0 : whole(offset, "offset", 0, Integer.MAX_VALUE);
        boolean ascending = switch (blank(order) ? "desc" : order.trim()) {
            case "asc" -> true;
            case "desc" -> false;
            default -> throw invalid("order must be asc or desc.");
        };
        Refunds.Page page = refunds.search(new Refunds.Filter(payment, wanted, from, to, pageLimit, pageOffset, ascending));
        return new AdminRefundPage(page.items().stream().map(AdminRefund::of).toList(), page.total(), pageLimit,
                pageOffset);
    }

    @Operation(summary = "A payment's refunds, oldest first (same shape as the list); 404 for an unknown payment")
    @GetMapping(path = "/payments/{paymentId}/refunds", produces = APPLICATION_JSON_VALUE)
    AdminRefundPage ofPayment(@PathVariable String paymentId) {
        List<AdminRefund> items = RefundBodies.paymentId(paymentId)
                .flatMap(id -> service.ofPayment(null, id))
                .orElseThrow(RefundBodies::paymentNotFound)
                .stream().map(AdminRefund::of).toList();
        return new AdminRefundPage(items, items.size(), items.size(), 0);
    }

    @Operation(summary = "Refund an approved payment: {amount, reason?, result?}; result succeeded|failed steers "
            + "the simulator; 409 payment_not_refundable / refund_exceeds_amount")
    @JsonBody(AdminRefundBody.class)
    @ProblemResponse(status = 409, codes = {"payment_not_refundable", "refund_exceeds_amount"})
    @PostMapping(path = "/payments/{paymentId}/refunds", consumes = APPLICATION_JSON_VALUE, produces = APPLICATION_JSON_VALUE)
    ResponseEntity<AdminRefund> refund(HttpServletRequest request, @PathVariable String paymentId) {
        return requested(paymentId, request, RefundBodies::adminRefund);
    }

    @Operation(summary = "A refund whose outcome the simulator is told: {amount, reason?, success}")
    @JsonBody(SimulateRefundBody.class)
    @ProblemResponse(status = 409, codes = {"payment_not_refundable", "refund_exceeds_amount"})
    @PostMapping(path = "/payments/{paymentId}/simulate-refund", consumes = APPLICATION_JSON_VALUE,
            produces = APPLICATION_JSON_VALUE)
    ResponseEntity<AdminRefund> simulateRefund(HttpServletRequest request, @PathVariable String paymentId) {
        return requested(paymentId, request, RefundBodies::simulatedRefund);
    }

    /**
     * An operator's refund of a payment, its body read by the route's variant. It is on record once the service has
     * taken it (the service commits on its own).
     */
    private ResponseEntity<AdminRefund> requested(String paymentId, HttpServletRequest request,
                                                  BiFunction<UUID, JsonNode, RefundOrder> order) {
        UUID payment = RefundBodies.paymentId(paymentId).orElseThrow(RefundBodies::paymentNotFound);
        Refund refund = service.requestAsOperator(order.apply(payment, StrictJsonBody.read(request)));
        audit.record("refund.create", "refund", refund.refundId(), null, AdminRefund.of(refund));
        return ResponseEntity.created(URI.create("/admin-api/payments/" + refund.paymentId() + "/refunds"))
                .body(AdminRefund.of(refund));
    }

    private static RefundStatus status(String value) {
        return switch (value) {
            case "requested" -> RefundStatus.REQUESTED;
            case "succeeded" -> RefundStatus.SUCCEEDED;
            case "failed" -> RefundStatus.FAILED;
            default -> throw invalid("status must be requested, succeeded or failed.");
        };
    }

    private static long whole(String value, String name, long min, long max) {
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw invalid(name + " must be a whole number from " + min + " to " + max + ".");
    }

    private static boolean blank(@Nullable String value) {
        return value == null || value.isBlank();
    }

    private static ApiProblem invalid(String detail) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, "invalid_parameter", detail);
    }
}
