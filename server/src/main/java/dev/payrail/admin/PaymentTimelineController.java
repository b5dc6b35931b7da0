package dev.payrail.admin;

import static org.springframework.http.MediaType.APPLICATION_JSON_VALUE;

import dev.payrail.payment.Payment;
import dev.payrail.payment.PaymentHistory;
import dev.payrail.payment.Payments;
import dev.payrail.platform.AdminApi;
import dev.payrail.platform.ApiProblem;
import dev.payrail.refund.Refund;
import dev.payrail.refund.Refunds;
import dev.payrail.webhook.WebhookHistory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.DiscriminatorMapping;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * A payment's whole story in one call, read from the tables that keep it: created, each acquirer attempt, the
 * final status, each webhook delivery with its attempts, refunds, and statuses set by hand. Entries are in time
 * order ({@code at}, ISO-8601 UTC); entries at the same instant keep the story's order.
 */
@AdminApi
@Tag(name = "Admin: payments", description = AdminApi.BEARER)
@RequiredArgsConstructor
class PaymentTimelineController {

    private final Payments payments;
    private final PaymentHistory history;
    private final WebhookHistory webhooks;
    private final Refunds refunds;

    /**
     * One entry; {@code type} says which of the records below it is. Described as a oneOf with {@code type} as
     * discriminator, so a generated client (the console's) gets one exact type per kind of entry.
     */
    @Schema(name = "TimelineEntry", oneOf = {Created.class, AcquirerAttempt.class, Final.class, ManualChange.class,
            WebhookDelivery.class, RefundEntry.class}, discriminatorProperty = "type", discriminatorMapping = {
            @DiscriminatorMapping(value = "payment_created", schema = Created.class),
            @DiscriminatorMapping(value = "acquirer_attempt", schema = AcquirerAttempt.class),
            @DiscriminatorMapping(value = "payment_final", schema = Final.class),
            @DiscriminatorMapping(value = "manual_change", schema = ManualChange.class),
            @DiscriminatorMapping(value = "webhook_delivery", schema = WebhookDelivery.class),
            @DiscriminatorMapping(value = "refund", schema = RefundEntry.class)})
    sealed interface Entry permits Created, AcquirerAttempt, Final, WebhookDelivery, RefundEntry, ManualChange {
        Instant at();

        String type();

        /** The story's order, for entries at the same instant. */
        default int rank() {
            return switch (this) {
                case Created created -> 0;
                case AcquirerAttempt attempt -> 1;
                case Final last -> 2;
                case ManualChange change -> 3;
                case WebhookDelivery delivery -> 4;
                case RefundEntry refund -> 5;
            };
        }
    }

    @Schema(name = "TimelineCreated")
    record Created(Instant at,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = "payment_created") String type,
            long amount, String currency, String orderId, String merchantId)
            implements Entry {}

    @Schema(name = "TimelineAcquirerAttempt")
    record AcquirerAttempt(Instant at,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = "acquirer_attempt") String type,
            int attemptNo, String acquirer, String outcome,
            @Nullable String code, @Nullable String declineKind, @Nullable Integer latencyMs,
            @Nullable Instant resolvedAt) implements Entry {}

    @Schema(name = "TimelineFinal")
    record Final(Instant at,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = "payment_final") String type,
            String status, @Nullable String acquirer, @Nullable String code)
            implements Entry {}

    @Schema(name = "TimelineManualChange")
    record ManualChange(Instant at,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = "manual_change") String type,
            String from, String to, String reason, String actor)
            implements Entry {}

    record DeliveryAttempt(Instant at, @Nullable Integer statusCode, int latencyMs, @Nullable String error) {}

    @Schema(name = "TimelineWebhookDelivery")
    record WebhookDelivery(Instant at,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = "webhook_delivery") String type,
            String deliveryId, String eventId, String eventType,
            String endpointId, String url, String status, List<DeliveryAttempt> attempts)
            implements Entry {}

    @Schema(name = "TimelineRefund")
    record RefundEntry(Instant at,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = "refund") String type,
            String refundId, long amount, String currency, String status,
            @Nullable String reason, @Nullable String code, @Nullable Instant settledAt) implements Entry {}

    record Timeline(String paymentId, String status, List<Entry> entries) {}

    @Operation(summary = "A payment's timeline: created, acquirer attempts, final status, webhook deliveries, "
            + "refunds, manual changes",
            description = "Role: viewer. Entries in time order, each with at (ISO-8601 UTC) and type: "
                    + "payment_created, acquirer_attempt, payment_final, webhook_delivery (with its attempts), "
                    + "refund, manual_change.")
    @GetMapping(path = "/payments/{paymentId}/timeline", produces = APPLICATION_JSON_VALUE)
    Timeline timeline(@PathVariable String paymentId) {
        Payment payment = parse(paymentId).flatMap(payments::find)
                .orElseThrow(() -> ApiProblem.notFound("payment_not_found", "No payment with this id."));
        UUID id = payment.paymentId();
        List<Entry> entries = new ArrayList<>();
        entries.add(new Created(payment.createdAt(), "payment_created", payment.amount(), payment.currency(),
                payment.orderId(), payment.merchantId().toString()));
        history.attempts(id).forEach(a -> entries.add(new AcquirerAttempt(a.sentAt(), "acquirer_attempt",
                a.attemptNo(), a.acquirer(), a.outcome(), a.declineCode(), a.declineKind(), a.latencyMs(),
                a.resolvedAt())));
        if (payment.status().isFinal()) {
            entries.add(new Final(payment.updatedAt(), "payment_final", payment.status().wireName(),
                    payment.acquirer(), payment.declineCode()));
        }
        history.manualChanges(id).forEach(c -> entries.add(new ManualChange(c.changedAt(), "manual_change",
                c.fromStatus(), c.toStatus(), c.reason(), c.actor())));
        webhooks.deliveriesOfObject(id).forEach(d -> entries.add(new WebhookDelivery(d.createdAt(),
                "webhook_delivery", d.deliveryId().toString(), d.eventId().toString(), d.eventType(),
                d.endpointId().toString(), d.url(), d.status(), d.attempts().stream()
                .map(a -> new DeliveryAttempt(a.startedAt(), a.statusCode(), a.latencyMs(), a.error())).toList())));
        for (Refund r : refunds.ofPayment(id)) {
            entries.add(new RefundEntry(r.createdAt(), "refund", r.refundId().toString(), r.amount(), r.currency(),
                    r.status().wireName(), r.reason(), r.failureCode(), r.settledAt()));
        }
        entries.sort(Comparator.comparing(Entry::at).thenComparingInt(Entry::rank));
        return new Timeline(id.toString(), payment.status().wireName(), entries);
    }

    private static java.util.Optional<UUID> parse(String value) {
        try {
            return java.util.Optional.of(UUID.fromString(value.trim()));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }
}
