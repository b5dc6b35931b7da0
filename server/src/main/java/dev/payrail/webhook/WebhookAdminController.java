package dev.payrail.webhook;

import dev.payrail.audit.AuditLog;
import dev.payrail.merchant.Merchants;
import dev.payrail.payment.Payments;
import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.OpenApiConfig;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The operator's side of webhooks, under {@code /admin-api} and {@code /api/admin-api}: a merchant's endpoints,
 * their deliveries, redelivery (one delivery, or every dead one of an endpoint; either turns the endpoint on
 * again, since the operator asked for it to be sent), and the prototype's
 * {@code POST /admin-api/payments/{id}/resend-webhook}.
 */
@RestController
@ConditionalOnRole(Role.ADMIN)
@Tag(name = "Admin: webhooks", description = "Operator API, Authorization: Bearer <PAYRAIL_ADMIN_TOKEN>")
class WebhookAdminController {

    private static final String ENDPOINTS = "/merchants/{merchantId}/webhook-endpoints";
    private static final int DELIVERIES_LIMIT_MAX = 1_000;

    private final WebhookEndpoints endpoints;
    private final WebhookEvents events;
    private final Deliveries deliveries;
    private final Merchants merchants;
    private final Payments payments;
    private final TransactionTemplate tx;
    private final AuditLog audit;
    private final Duration rotationOverlap;

    WebhookAdminController(WebhookEndpoints endpoints, WebhookEvents events, Deliveries deliveries, Merchants merchants,
                           Payments payments, TransactionTemplate tx, PayrailProperties properties, AuditLog audit) {
        this.audit = audit;
        this.endpoints = endpoints;
        this.events = events;
        this.deliveries = deliveries;
        this.merchants = merchants;
        this.payments = payments;
        this.tx = tx;
        this.rotationOverlap = properties.webhooks().rotationOverlap();
    }

    @Operation(summary = "A merchant's webhook endpoints", security = @SecurityRequirement(name = OpenApiConfig.ADMIN_TOKEN))
    @GetMapping(path = {"/admin-api" + ENDPOINTS, "/api/admin-api" + ENDPOINTS}, produces = MediaType.APPLICATION_JSON_VALUE)
    EndpointRequests.ListView list(@PathVariable String merchantId) {
        return new EndpointRequests.ListView(endpoints.list(merchant(merchantId)).stream()
                .map(EndpointRequests.View::of).toList());
    }

    @Operation(summary = "Add a webhook endpoint to a merchant: {url, event_types?}",
            security = @SecurityRequirement(name = OpenApiConfig.ADMIN_TOKEN))
    @PostMapping(path = {"/admin-api" + ENDPOINTS, "/api/admin-api" + ENDPOINTS},
            consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<EndpointRequests.View> create(@PathVariable String merchantId,
                                                 @Parameter(hidden = true) @RequestBody JsonNode body) {
        UUID merchant = merchant(merchantId);
        var input = EndpointRequests.read(body, true, endpoints);
        var created = tx.execute(status -> {
            var made = endpoints.create(merchant, input.url(), input.eventTypes() == null ? List.of() : input.eventTypes());
            audit.record("webhook_endpoint.create", "webhook_endpoint", made.endpoint().endpointId(), null,
                    EndpointRequests.View.of(made.endpoint()));
            return made;
        });
        var view = EndpointRequests.View.of(created.endpoint(), created.secret());
        return ResponseEntity.created(URI.create("/admin-api/merchants/" + merchant + "/webhook-endpoints/" + view.id()))
                .body(view);
    }

    @Operation(summary = "Change a webhook endpoint: any of url, enabled, event_types",
            security = @SecurityRequirement(name = OpenApiConfig.ADMIN_TOKEN))
    @PatchMapping(path = {"/admin-api" + ENDPOINTS + "/{endpointId}", "/api/admin-api" + ENDPOINTS + "/{endpointId}"},
            consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    EndpointRequests.View update(@PathVariable String merchantId, @PathVariable String endpointId,
                                 @Parameter(hidden = true) @RequestBody JsonNode body) {
        UUID merchant = merchant(merchantId);
        UUID endpoint = EndpointRequests.id(endpointId, "webhook_endpoint");
        var input = EndpointRequests.read(body, false, endpoints);
        var after = EndpointRequests.View.of(endpoints.update(merchant, endpoint, input.url(), input.enabled(),
                input.eventTypes()).orElseThrow(WebhookAdminController::endpointNotFound));
        audit.record("webhook_endpoint.update", "webhook_endpoint", endpoint, null, after);
        return after;
    }

    @Operation(summary = "Delete a webhook endpoint", security = @SecurityRequirement(name = OpenApiConfig.ADMIN_TOKEN))
    @DeleteMapping(path = {"/admin-api" + ENDPOINTS + "/{endpointId}", "/api/admin-api" + ENDPOINTS + "/{endpointId}"})
    ResponseEntity<Void> delete(@PathVariable String merchantId, @PathVariable String endpointId) {
        UUID endpoint = EndpointRequests.id(endpointId, "webhook_endpoint");
        if (!endpoints.delete(merchant(merchantId), endpoint)) {
            throw endpointNotFound();
        }
        audit.record("webhook_endpoint.delete", "webhook_endpoint", endpoint, null, null);
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Rotate an endpoint's secret (the old one signs too for 24 h)",
            security = @SecurityRequirement(name = OpenApiConfig.ADMIN_TOKEN))
    @PostMapping(path = {"/admin-api" + ENDPOINTS + "/{endpointId}/rotate-secret",
            "/api/admin-api" + ENDPOINTS + "/{endpointId}/rotate-secret"}, produces = MediaType.APPLICATION_JSON_VALUE)
    EndpointRequests.View rotate(@PathVariable String merchantId, @PathVariable String endpointId) {
        var rotated = endpoints.rotate(merchant(merchantId), EndpointRequests.id(endpointId, "webhook_endpoint"),
                rotationOverlap).orElseThrow(WebhookAdminController::endpointNotFound);
        audit.record("webhook_endpoint.rotate_secret", "webhook_endpoint", rotated.endpoint().endpointId(), null,
                EndpointRequests.View.of(rotated.endpoint()));
        return EndpointRequests.View.of(rotated.endpoint(), rotated.secret());
    }

    record DeliveryView(String id, String eventId, String endpointId, String eventType, String status, int attempts,
                        long nextAttemptAt, long createdAt, long updatedAt) {}

    record DeliveryList(List<DeliveryView> data) {}

    @Operation(summary = "An endpoint's deliveries, newest first; status = pending | delivered | dead",
            security = @SecurityRequirement(name = OpenApiConfig.ADMIN_TOKEN))
    @GetMapping(path = {"/admin-api" + ENDPOINTS + "/{endpointId}/deliveries",
            "/api/admin-api" + ENDPOINTS + "/{endpointId}/deliveries"}, produces = MediaType.APPLICATION_JSON_VALUE)
    DeliveryList deliveries(@PathVariable String merchantId, @PathVariable String endpointId,
                            @RequestParam(required = false) @Nullable String status,
                            @RequestParam(defaultValue = "100") int limit) {
        UUID endpoint = ownedEndpoint(merchantId, endpointId);
        if (status != null && !List.of("pending", "delivered", "dead").contains(status)) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "invalid_parameter", "status must be pending, delivered or dead.");
        }
        if (limit < 1 || limit > DELIVERIES_LIMIT_MAX) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "invalid_parameter",
                    "limit must be between 1 and " + DELIVERIES_LIMIT_MAX + ".");
        }
        return new DeliveryList(deliveries.ofEndpoint(endpoint, status, limit).stream()
                .map(d -> new DeliveryView(d.deliveryId().toString(), d.eventId().toString(), d.endpointId().toString(),
                        d.eventType(), d.status(), d.attempts(), d.nextAttemptAt().getEpochSecond(),
                        d.createdAt().getEpochSecond(), d.updatedAt().getEpochSecond()))
                .toList());
    }

    @Operation(summary = "Send every dead delivery of an endpoint again (and enable the endpoint)",
            security = @SecurityRequirement(name = OpenApiConfig.ADMIN_TOKEN))
    @PostMapping(path = {"/admin-api" + ENDPOINTS + "/{endpointId}/redeliver-dead",
            "/api/admin-api" + ENDPOINTS + "/{endpointId}/redeliver-dead"}, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> redeliverDead(@PathVariable String merchantId, @PathVariable String endpointId) {
        UUID endpoint = ownedEndpoint(merchantId, endpointId);
        Integer queued = tx.execute(status -> {
            endpoints.enable(endpoint);
            int count = deliveries.redeliverDead(endpoint);
            audit.record("webhook_endpoint.redeliver_dead", "webhook_endpoint", endpoint, null, Map.of("queued", count));
            return count;
        });
        return ResponseEntity.accepted().body(Map.of("status", "queued", "queued", queued == null ? 0 : queued));
    }

    @Operation(summary = "Send one delivery again (and enable its endpoint)",
            security = @SecurityRequirement(name = OpenApiConfig.ADMIN_TOKEN))
    @PostMapping(path = {"/admin-api/webhook-deliveries/{deliveryId}/redeliver",
            "/api/admin-api/webhook-deliveries/{deliveryId}/redeliver"}, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, String>> redeliver(@PathVariable String deliveryId) {
        UUID delivery = EndpointRequests.id(deliveryId, "webhook_delivery");
        UUID endpoint = deliveries.endpointOf(delivery)
                .orElseThrow(() -> ApiProblem.notFound("webhook_delivery_not_found", "No such webhook delivery."));
        tx.executeWithoutResult(status -> {
            endpoints.enable(endpoint);
            deliveries.redeliver(delivery);
            audit.record("webhook_delivery.redeliver", "webhook_delivery", delivery, null, null);
        });
        return ResponseEntity.accepted().body(Map.of("status", "queued"));
    }

    @Operation(summary = "Queue the payment's latest webhook again (the prototype's route)",
            security = @SecurityRequirement(name = OpenApiConfig.ADMIN_TOKEN))
    @PostMapping(path = {"/admin-api/payments/{paymentId}/resend-webhook",
            "/api/admin-api/payments/{paymentId}/resend-webhook"}, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, String>> resend(@PathVariable String paymentId) {
        UUID payment = EndpointRequests.parse(paymentId).filter(id -> payments.find(id).isPresent())
                .orElseThrow(() -> ApiProblem.notFound("payment_not_found", "No such payment."));
        WebhookEvents.Event latest = events.ofObject(payment).stream().findFirst()
                .orElseThrow(() -> new ApiProblem(HttpStatus.CONFLICT, "no_webhook_event",
                        "The payment has no webhook event yet; its outcome is still to come."));
        tx.executeWithoutResult(status -> {
            deliveries.resend(latest.eventId());
            audit.record("payment.resend_webhook", "payment", payment, null, Map.of("event_id", latest.eventId().toString()));
        });
        return ResponseEntity.accepted().body(Map.of("status", "queued"));
    }

    private UUID merchant(String merchantId) {
        return EndpointRequests.parse(merchantId).filter(merchants::exists)
                .orElseThrow(() -> ApiProblem.notFound("merchant_not_found", "No such merchant."));
    }

    private UUID ownedEndpoint(String merchantId, String endpointId) {
        UUID merchant = merchant(merchantId);
        UUID endpoint = EndpointRequests.id(endpointId, "webhook_endpoint");
        endpoints.find(merchant, endpoint).orElseThrow(WebhookAdminController::endpointNotFound);
        return endpoint;
    }

    private static ApiProblem endpointNotFound() {
        return ApiProblem.notFound("webhook_endpoint_not_found", "No such webhook endpoint.");
    }
}
