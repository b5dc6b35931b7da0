package dev.payrail.refund;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A refund as the merchant API shows it (times in epoch seconds, like payments). Field names become snake_case
 * on the wire. {@code failure_code} is the acquirer's reason when the refund failed.
 */
public record RefundView(
        String refundId,
        String paymentId,
        long amount,
        String currency,
        @Schema(allowableValues = {"requested", "succeeded", "failed"}) String status,
        @Nullable String reason,
        @Nullable String failureCode,
        long createdAt,
        long updatedAt) {

    /** A payment's refunds, as {@code GET /v1/payments/{id}/refunds} answers them. */
    public record RefundList(List<RefundView> data) {}

    public static RefundView of(Refund r) {
        return new RefundView(r.refundId().toString(), r.paymentId().toString(), r.amount(), r.currency(),
                r.status().wireName(), r.reason(), r.failureCode(), r.createdAt().getEpochSecond(),
                r.updatedAt().getEpochSecond());
    }
}
