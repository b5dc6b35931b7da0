package dev.payrail.payment.web;

import static org.springframework.http.MediaType.APPLICATION_JSON_VALUE;

import dev.payrail.idempotency.IdempotencyKey;
import dev.payrail.merchant.ApiKeyAuthenticationFilter;
import dev.payrail.payment.Payment;
import dev.payrail.payment.PaymentAttempts;
import dev.payrail.payment.PaymentRequestParser;
import dev.payrail.payment.PaymentService;
import dev.payrail.payment.PaymentView;
import dev.payrail.payment.Payments;
import dev.payrail.payment.RefundedAmounts;
import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.JsonBody;
import dev.payrail.platform.MerchantApi;
import dev.payrail.platform.StrictJsonBody;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import lombok.RequiredArgsConstructor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.JsonNode;

/** The merchant payments API. Thin: authentication is a filter, the work is in {@link PaymentService}. */
@MerchantApi
@Tag(name = "Payments", description = MerchantApi.API_KEY + ". /payments is the prototype's alias.")
@RequiredArgsConstructor
class PaymentController {

    static final int BODY_BYTES_MAX = StrictJsonBody.BYTES_MAX;
    static final int PAGE_LIMIT_MAX = 100;

    private final PaymentService service;
    private final Payments payments;
    private final PaymentAttempts attempts;
    private final PaymentRequestParser parser;
    private final ObjectProvider<RefundedAmounts> refundedAmounts;
    /** Refuses a body that names a field twice: {"amount":1,"amount":1000} must not be read either way. */

    /** A page of payments, newest first; pass {@code next_cursor} back as {@code starting_after}. */
    record PaymentPage(List<PaymentView> data, boolean hasMore, String nextCursor) {}

    @PostMapping(path = {"/v1/payments", "/payments"})
    @Operation(summary = "Create a payment",
            description = "Answers 201 with the payment. With an Idempotency-Key already used for the same body, "
                    + "answers the original status and body again with Idempotent-Replayed: true; with a "
                    + "different body, 422 idempotency_key_reuse.")
    @JsonBody(CreatePaymentBody.class)
    @ApiResponse(responseCode = "201", description = "Created, or replayed",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = PaymentView.class)))
    @ApiResponse(responseCode = "4XX", description = "Refused; nothing changed",
            content = @Content(mediaType = "application/problem+json"))
    ResponseEntity<String> create(@Parameter(hidden = true) HttpServletRequest request,
                                  @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        UUID merchantId = ApiKeyAuthenticationFilter.merchantOf(request);
        String key = IdempotencyKey.fromHeader(idempotencyKey);
        requireJson(request);
        JsonNode body = StrictJsonBody.read(request);
        PaymentService.Outcome outcome = service.create(merchantId, key, parser.parse(body));
        var response = ResponseEntity.status(outcome.status()).contentType(MediaType.APPLICATION_JSON);
        if (outcome.replayed()) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.body(outcome.body());
    }

    @GetMapping(path = {"/v1/payments/{paymentId}", "/payments/{paymentId}"}, produces = APPLICATION_JSON_VALUE)
    @Operation(summary = "One of your payments, with the acquirer, decline code, attempts and refunded amount; "
            + "another merchant's is 404")
    PaymentView get(@Parameter(hidden = true) HttpServletRequest request, @PathVariable String paymentId) {
        UUID merchantId = ApiKeyAuthenticationFilter.merchantOf(request);
        return parseUuid(paymentId)
                .flatMap(id -> payments.find(merchantId, id))
                .map(p -> withRefunds(PaymentView.of(p, attempts.of(p.paymentId())), p.paymentId()))
                .orElseThrow(() -> ApiProblem.notFound("payment_not_found", "No payment with this id."));
    }

    @GetMapping(path = {"/v1/payments", "/payments"}, produces = APPLICATION_JSON_VALUE)
    @Operation(summary = "Your payments, newest first; pass next_cursor back as starting_after")
    PaymentPage list(@Parameter(hidden = true) HttpServletRequest request,
                     @RequestParam(name = "limit", defaultValue = "25") int limit,
                     @RequestParam(name = "starting_after", required = false) String startingAfter,
                     @RequestParam(name = "idempotency_key", required = false) String idempotencyKey) {
        UUID merchantId = ApiKeyAuthenticationFilter.merchantOf(request);
        if (limit < 1 || limit > PAGE_LIMIT_MAX) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "invalid_parameter",
                    "limit must be between 1 and " + PAGE_LIMIT_MAX + ".");
        }
        UUID after = null;
        if (startingAfter != null && !startingAfter.isBlank()) {
            after = parseUuid(startingAfter).orElseThrow(() -> new ApiProblem(HttpStatus.BAD_REQUEST,
                    "invalid_parameter", "starting_after must be a payment id."));
        }
        if (idempotencyKey != null && !IdempotencyKey.isWellFormed(idempotencyKey)) {
            // No stored key can look like this, so there is nothing to ask the database.
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "invalid_parameter",
                    "idempotency_key must be 1 to " + IdempotencyKey.LENGTH_MAX + " printable ASCII characters.");
        }
        List<Payment> rows = payments.page(merchantId, after, idempotencyKey, limit + 1);
        boolean hasMore = rows.size() > limit;
        List<PaymentView> data = rows.stream().limit(limit).map(PaymentView::of).toList();
        String next = hasMore ? data.getLast().paymentId() : null;
        return new PaymentPage(data, hasMore, next);
    }

    private PaymentView withRefunds(PaymentView view, UUID paymentId) {
        RefundedAmounts refunds = refundedAmounts.getIfAvailable();
        return refunds == null ? view : view.withRefundedAmount(refunds.refundedAmount(paymentId));
    }

    private static void requireJson(HttpServletRequest request) {
        String contentType = request.getContentType();
        boolean json;
        try {
            json = contentType != null && isJson(MediaType.parseMediaType(contentType));
        } catch (org.springframework.http.InvalidMediaTypeException e) {
            json = false;
        }
        if (!json) {
            throw new ApiProblem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "Send the body as application/json.");
        }
    }

    private static boolean isJson(MediaType type) {
        return MediaType.APPLICATION_JSON.isCompatibleWith(type)
                || ("application".equals(type.getType()) && type.getSubtype().endsWith("+json"));
    }

    private static Optional<UUID> parseUuid(String value) {
        try {
            return Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
