package dev.payrail.webhook;

import static org.springframework.http.MediaType.APPLICATION_JSON_VALUE;

import dev.payrail.audit.AuditLog;
import dev.payrail.merchant.Merchants;
import dev.payrail.payment.Payments;
import dev.payrail.platform.AdminApi;
import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.ApiProblem.FieldProblem;
import dev.payrail.platform.JsonBody;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.ProblemResponse;
import dev.payrail.platform.QueryParameters;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operator's side of webhooks, under {@code /admin-api} and {@code /api/admin-api}: a merchant's endpoints,
 * their deliveries, redelivery (one delivery, or every dead one of an endpoint; either turns the endpoint on
 * again, since the operator asked for it to be sent), and the prototype's
 * {@code POST /admin-api/payments/{id}/resend-webhook}.
 */
@AdminApi
@Tag(name = "Admin: webhooks", description = AdminApi.BEARER)
@RequiredArgsConstructor
class WebhookAdminController {

    private static final String ENDPOINTS = "/merchants/{merchantId}/webhook-endpoints";
    private static final int DELIVERIES_LIMIT_MAX = 1_000;

    private final WebhookEndpoints endpoints;
    private final WebhookEvents events;
    private final Deliveries deliveries;
    private final Merchants merchants;
    private final Payments payments;
    private final TransactionTemplate tx;
    private final PayrailProperties properties;
    private final WebhookHistory history;
    private final JsonMapper json;
    private final AuditLog audit;

    @Operation(summary = "A merchant's webhook endpoints")
    @GetMapping(path = ENDPOINTS, produces = APPLICATION_JSON_VALUE)
    EndpointRequests.ListView list(@PathVariable String merchantId) {
        return new EndpointRequests.ListView(endpoints.list(merchant(merchantId)).stream()
                .map(EndpointRequests.View::of).toList());
    }

    @Operation(summary = "Add a webhook endpoint to a merchant: {url, event_types?}")
    @JsonBody(EndpointRequests.CreateBody.class)
    @PostMapping(path = ENDPOINTS, consumes = APPLICATION_JSON_VALUE, produces = APPLICATION_JSON_VALUE)
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

    @Operation(summary = "Change a webhook endpoint: any of url, enabled, event_types")
    @JsonBody(EndpointRequests.ChangeBody.class)
    @PatchMapping(path = ENDPOINTS + "/{endpointId}",
            consumes = APPLICATION_JSON_VALUE, produces = APPLICATION_JSON_VALUE)
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

    @Operation(summary = "Delete a webhook endpoint")
    @DeleteMapping(path = ENDPOINTS + "/{endpointId}")
    ResponseEntity<Void> delete(@PathVariable String merchantId, @PathVariable String endpointId) {
        UUID endpoint = EndpointRequests.id(endpointId, "webhook_endpoint");
        if (!endpoints.delete(merchant(merchantId), endpoint)) {
            throw endpointNotFound();
        }
        audit.record("webhook_endpoint.delete", "webhook_endpoint", endpoint, null, null);
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Rotate an endpoint's secret (the old one signs too for 24 h)")
    @PostMapping(path = ENDPOINTS + "/{endpointId}/rotate-secret", produces = APPLICATION_JSON_VALUE)
    EndpointRequests.View rotate(@PathVariable String merchantId, @PathVariable String endpointId) {
        var rotated = endpoints.rotate(merchant(merchantId), EndpointRequests.id(endpointId, "webhook_endpoint"),
                properties.webhooks().rotationOverlap()).orElseThrow(WebhookAdminController::endpointNotFound);
        audit.record("webhook_endpoint.rotate_secret", "webhook_endpoint", rotated.endpoint().endpointId(), null,
                EndpointRequests.View.of(rotated.endpoint()));
        return EndpointRequests.View.of(rotated.endpoint(), rotated.secret());
    }

    record DeliveryView(String id, String eventId, String endpointId, String eventType, String status, int attempts,
                        long nextAttemptAt, long createdAt, long updatedAt) {}

    record DeliveryList(List<DeliveryView> data) {}

    @Operation(summary = "An endpoint's deliveries, newest first; status = pending | delivered | dead")
    @GetMapping(path = ENDPOINTS + "/{endpointId}/deliveries", produces = APPLICATION_JSON_VALUE)
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

    /**
     * One try to deliver, for the console: when (epoch seconds), the HTTP status (null: no answer), how long, the
     * error if any, and the first bytes (up to 1 KiB) of the endpoint's answer.
     */
    record ConsoleAttempt(long at, @Nullable Integer statusCode, int latencyMs, @Nullable String error,
                          @Nullable String responseExcerpt) {

        static ConsoleAttempt of(WebhookHistory.AttemptDetail a) {
            return new ConsoleAttempt(a.startedAt().getEpochSecond(), a.statusCode(), a.latencyMs(), a.error(),
                    a.responseExcerpt());
        }
    }

    /** A delivery in the console's list of all deliveries, with its latest attempt (null before the first). */
    record ConsoleDelivery(String id, String eventId, String eventType, String merchantId, String endpointId,
                           String url, String status, boolean failing, int attempts, long nextAttemptAt,
                           long createdAt, long updatedAt, @Nullable ConsoleAttempt lastAttempt) {

        static ConsoleDelivery of(WebhookHistory.Delivery d, WebhookHistory.@Nullable AttemptDetail last) {
            return new ConsoleDelivery(d.deliveryId().toString(), d.eventId().toString(), d.eventType(),
                    d.merchantId().toString(), d.endpointId().toString(), d.url(), d.status(), d.failing(),
                    d.attemptsInRound(), d.nextAttemptAt().getEpochSecond(), d.createdAt().getEpochSecond(),
                    d.updatedAt().getEpochSecond(), last == null ? null : ConsoleAttempt.of(last));
        }
    }

    /** A delivery with every attempt of every round, oldest first. */
    record ConsoleDeliveryDetail(ConsoleDelivery delivery, List<ConsoleAttempt> attempts) {}

    record ConsoleDeliveryList(List<ConsoleDelivery> items, int limit, long offset) {}

    @Operation(summary = "Webhook deliveries of every merchant: dead first, then failing, then the newest",
            description = "Role: viewer. Filters: status (pending | delivered | dead | failing = pending after a "
                    + "failed attempt), merchant_id, endpoint_id, event_type; paged by limit (1-200, default 50) "
                    + "and offset. Each with its latest attempt. Times in epoch seconds.")
    @GetMapping(path = "/webhook-deliveries", produces = APPLICATION_JSON_VALUE)
    ConsoleDeliveryList allDeliveries(@RequestParam(required = false) @Nullable String status,
                                      @RequestParam(name = "merchant_id", required = false) @Nullable String merchantId,
                                      @RequestParam(name = "endpoint_id", required = false) @Nullable String endpointId,
                                      @RequestParam(name = "event_type", required = false) @Nullable String eventType,
                                      @RequestParam(required = false) @Nullable String limit,
                                      @RequestParam(required = false) @Nullable String offset) {
        List<FieldProblem> errors = new ArrayList<>();
        if (status != null && !List.of("pending", "delivered", "dead", "failing").contains(status)) {
            errors.add(new FieldProblem("status", "invalid_value", "Must be pending, delivered, dead or failing."));
        }
        if (eventType != null && !WebhookEndpoints.EVENT_TYPES.contains(eventType)) {
            errors.add(new FieldProblem("event_type", "invalid_value",
                    "Must be one of " + String.join(", ", new java.util.TreeSet<>(WebhookEndpoints.EVENT_TYPES)) + "."));
        }
        var filter = new WebhookHistory.DeliveryFilter(status, optionalUuid("merchant_id", merchantId, errors),
                optionalUuid("endpoint_id", endpointId, errors), eventType,
                (int) whole("limit", limit, 1, QueryParameters.PAGE_LIMIT_MAX, 50, errors),
                whole("offset", offset, 0, Long.MAX_VALUE, 0, errors));
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        return new ConsoleDeliveryList(history.deliveries(filter).stream()
                .map(d -> ConsoleDelivery.of(d.delivery(), d.lastAttempt()))
                .toList(), filter.limit(), filter.offset());
    }

    @Operation(summary = "One webhook delivery with every attempt (status, latency, error, first bytes of the answer)",
            description = "Role: viewer. Attempts of every round (a redelivery starts a new one), oldest first; "
                    + "times in epoch seconds.")
    @GetMapping(path = "/webhook-deliveries/{deliveryId}", produces = APPLICATION_JSON_VALUE)
    ConsoleDeliveryDetail delivery(@PathVariable String deliveryId) {
        return EndpointRequests.parse(deliveryId).flatMap(history::delivery)
                .map(found -> new ConsoleDeliveryDetail(
                        ConsoleDelivery.of(found.delivery(), found.attempts().isEmpty() ? null : found.attempts().getLast()),
                        found.attempts().stream().map(ConsoleAttempt::of).toList()))
                .orElseThrow(() -> ApiProblem.notFound("webhook_delivery_not_found", "No such webhook delivery."));
    }

    /** An event in the console's list of all events. */
    record ConsoleEvent(String id, String type, String merchantId, String objectId, long createdAt, JsonNode data) {}

    record ConsoleEventList(List<ConsoleEvent> items, boolean hasMore) {}

    @Operation(summary = "Merchant-facing events of every merchant, newest first",
            description = "Role: viewer. Filters: type, merchant_id, from (inclusive) and to (exclusive) in epoch "
                    + "seconds; keyset paging: limit (1-200, default 50) and starting_after (the last event id seen).")
    @GetMapping(path = "/events", produces = APPLICATION_JSON_VALUE)
    ConsoleEventList allEvents(@RequestParam(required = false) @Nullable String type,
                               @RequestParam(name = "merchant_id", required = false) @Nullable String merchantId,
                               @RequestParam(required = false) @Nullable String from,
                               @RequestParam(required = false) @Nullable String to,
                               @RequestParam(name = "starting_after", required = false) @Nullable String startingAfter,
                               @RequestParam(required = false) @Nullable String limit) {
        List<FieldProblem> errors = new ArrayList<>();
        if (type != null && !WebhookEndpoints.EVENT_TYPES.contains(type)) {
            errors.add(new FieldProblem("type", "invalid_value",
                    "Must be one of " + String.join(", ", new java.util.TreeSet<>(WebhookEndpoints.EVENT_TYPES)) + "."));
        }
        long fromSeconds = whole("from", from, 0, QueryParameters.EPOCH_SECONDS_MAX, -1, errors);
        long toSeconds = whole("to", to, 0, QueryParameters.EPOCH_SECONDS_MAX, -1, errors);
        int pageSize = (int) whole("limit", limit, 1, QueryParameters.PAGE_LIMIT_MAX, 50, errors);
        var filter = new WebhookHistory.EventFilter(type, optionalUuid("merchant_id", merchantId, errors),
                fromSeconds < 0 ? null : java.time.Instant.ofEpochSecond(fromSeconds),
                toSeconds < 0 ? null : java.time.Instant.ofEpochSecond(toSeconds),
                optionalUuid("starting_after", startingAfter, errors), pageSize + 1);
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        List<WebhookEvents.Event> page = history.events(filter);
        boolean more = page.size() > pageSize;
        return new ConsoleEventList(page.stream().limit(pageSize)
                .map(e -> new ConsoleEvent(e.eventId().toString(), e.type(), e.merchantId().toString(),
                        e.objectId().toString(), e.createdAt().getEpochSecond(), json.readTree(e.data())))
                .toList(), more);
    }

    private static @Nullable UUID optionalUuid(String field, @Nullable String value, List<FieldProblem> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Optional<UUID> id = EndpointRequests.parse(value.trim());
        if (id.isEmpty()) {
            errors.add(new FieldProblem(field, "invalid_format", "Must be a UUID."));
        }
        return id.orElse(null);
    }

    /** A whole number in [min, max], {@code absent} when not given. */
    private static long whole(String field, @Nullable String value, long min, long max, long absent,
                              List<FieldProblem> errors) {
        Long n = QueryParameters.wholeNumber(field, value, min, max, errors);
        return n == null ? absent : n;
    }

    @Operation(summary = "Send every dead delivery of an endpoint again (and enable the endpoint)")
    @PostMapping(path = ENDPOINTS + "/{endpointId}/redeliver-dead", produces = APPLICATION_JSON_VALUE)
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

    @Operation(summary = "Send one delivery again (and enable its endpoint)")
    @PostMapping(path = "/webhook-deliveries/{deliveryId}/redeliver", produces = APPLICATION_JSON_VALUE)
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

    @Operation(summary = "Queue the payment's latest webhook again (the prototype's route)")
    @ProblemResponse(status = 409, codes = {"no_webhook_event"})
    @PostMapping(path = "/payments/{paymentId}/resend-webhook", produces = APPLICATION_JSON_VALUE)
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
