package dev.payrail.refund.web;

import static org.springframework.http.MediaType.APPLICATION_JSON_VALUE;

import dev.payrail.idempotency.IdempotencyKey;
import dev.payrail.merchant.ApiKeyAuthenticationFilter;
import dev.payrail.platform.JsonBody;
import dev.payrail.platform.MerchantApi;
import dev.payrail.platform.ProblemResponse;
import dev.payrail.platform.StrictJsonBody;
import dev.payrail.refund.RefundService;
import dev.payrail.refund.RefundView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;

/** The merchant refunds API. Thin: authentication is a filter, the work is in {@link RefundService}. */
@MerchantApi
@Tag(name = "Refunds", description = MerchantApi.API_KEY)
@RequiredArgsConstructor
class RefundController {

    private final RefundService service;

    /** The request body, for the OpenAPI description; the handler validates the JSON itself. */
    @Schema(name = "CreateRefund")
    record CreateRefundBody(
            @Schema(description = "Minor units, at most what is not yet refunded or requested",
                    requiredMode = Schema.RequiredMode.REQUIRED) long amount,
            @Schema(description = "Why, for the merchant's records") String reason) {}

    @PostMapping(path = "/v1/payments/{paymentId}/refunds", consumes = APPLICATION_JSON_VALUE,
            produces = APPLICATION_JSON_VALUE)
    @Operation(summary = "Refund (part of) an approved payment",
            description = "Answers 201 with the refund, usually already succeeded or failed (requested while the "
                    + "acquirer has not answered; it is settled within seconds). With an Idempotency-Key already "
                    + "used for the same request, answers the same refund again with Idempotent-Replayed: true; with "
                    + "a different request, 422 idempotency_key_reuse. 409 payment_not_refundable when the payment "
                    + "is not approved, 409 refund_exceeds_amount beyond what is not yet refunded or requested.")
    @JsonBody(CreateRefundBody.class)
    @ApiResponse(responseCode = "201", description = "Created, or replayed",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = RefundView.class)))
    @ProblemResponse(status = 409, codes = {"payment_not_refundable", "refund_exceeds_amount"})
    @ApiResponse(responseCode = "4XX", description = "Refused; nothing changed",
            content = @Content(mediaType = "application/problem+json"))
    ResponseEntity<RefundView> create(@Parameter(hidden = true) HttpServletRequest request,
                                      @PathVariable String paymentId,
                                      @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String key) {
        UUID merchantId = ApiKeyAuthenticationFilter.merchantOf(request);
        String idempotencyKey = IdempotencyKey.fromHeader(key);
        UUID payment = RefundBodies.paymentId(paymentId).orElseThrow(RefundBodies::paymentNotFound);
        RefundService.MerchantAnswer answer = service.requestForMerchant(merchantId, idempotencyKey,
                RefundBodies.merchant(payment, StrictJsonBody.read(request)));
        var response = ResponseEntity.status(answer.status());
        if (answer.replayed()) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.body(RefundView.of(answer.refund()));
    }

    @GetMapping(path = "/v1/payments/{paymentId}/refunds", produces = APPLICATION_JSON_VALUE)
    @Operation(summary = "The refunds of one of your payments, oldest first; another merchant's payment is 404")
    RefundView.RefundList list(@Parameter(hidden = true) HttpServletRequest request, @PathVariable String paymentId) {
        UUID merchantId = ApiKeyAuthenticationFilter.merchantOf(request);
        return RefundBodies.paymentId(paymentId)
                .flatMap(id -> service.ofPayment(merchantId, id))
                .map(refunds -> new RefundView.RefundList(refunds.stream().map(RefundView::of).toList()))
                .orElseThrow(RefundBodies::paymentNotFound);
    }
}
