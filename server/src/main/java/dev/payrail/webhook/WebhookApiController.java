package dev.payrail.webhook;

import static org.springframework.http.MediaType.APPLICATION_JSON_VALUE;

import dev.payrail.merchant.ApiKeyAuthenticationFilter;
import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.JsonBody;
import dev.payrail.platform.MerchantApi;
import dev.payrail.platform.PayrailProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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
 * The merchant's side of webhooks (X-API-Key): its endpoints ({@code /v1/webhook_endpoints}; the secret is shown
 * at creation and rotation only) and its events ({@code /v1/events}, newest first, to reconcile what a webhook
 * did not bring).
 */
@MerchantApi
@Tag(name = "Webhooks", description = MerchantApi.API_KEY)
@RequiredArgsConstructor
class WebhookApiController {

    private static final int PAGE_LIMIT_MAX = 100;

    private final WebhookEndpoints endpoints;
    private final WebhookEvents events;
    private final JsonMapper json;
    private final PayrailProperties properties;

    @Operation(summary = "List your webhook endpoints")
    @GetMapping(path = "/v1/webhook_endpoints", produces = APPLICATION_JSON_VALUE)
    EndpointRequests.ListView list(HttpServletRequest request) {
        return new EndpointRequests.ListView(endpoints.list(merchant(request)).stream()
                .map(EndpointRequests.View::of).toList());
    }

    @Operation(summary = "Create a webhook endpoint: {url, event_types?}; the answer's secret is shown only now")
    @JsonBody(EndpointRequests.CreateBody.class)
    @PostMapping(path = "/v1/webhook_endpoints", consumes = APPLICATION_JSON_VALUE, produces = APPLICATION_JSON_VALUE)
    ResponseEntity<EndpointRequests.View> create(HttpServletRequest request,
                                                 @Parameter(hidden = true) @RequestBody JsonNode body) {
        var input = EndpointRequests.read(body, true, endpoints);
        var created = endpoints.create(merchant(request), input.url(),
                input.eventTypes() == null ? List.of() : input.eventTypes());
        if (Boolean.FALSE.equals(input.enabled())) {
            endpoints.update(created.endpoint().merchantId(), created.endpoint().endpointId(), null, false, null);
        }
        var view = EndpointRequests.View.of(endpoints.find(created.endpoint().merchantId(),
                created.endpoint().endpointId()).orElseThrow(), created.secret());
        return ResponseEntity.created(URI.create("/v1/webhook_endpoints/" + view.id())).body(view);
    }

    @Operation(summary = "One webhook endpoint")
    @GetMapping(path = "/v1/webhook_endpoints/{id}", produces = APPLICATION_JSON_VALUE)
    EndpointRequests.View get(HttpServletRequest request, @PathVariable String id) {
        return EndpointRequests.View.of(endpoints.find(merchant(request), EndpointRequests.id(id, "webhook_endpoint"))
                .orElseThrow(WebhookApiController::endpointNotFound));
    }

    @Operation(summary = "Change a webhook endpoint: any of url, enabled, event_types")
    @JsonBody(EndpointRequests.ChangeBody.class)
    @PatchMapping(path = "/v1/webhook_endpoints/{id}", consumes = APPLICATION_JSON_VALUE,
            produces = APPLICATION_JSON_VALUE)
    EndpointRequests.View update(HttpServletRequest request, @PathVariable String id,
                                 @Parameter(hidden = true) @RequestBody JsonNode body) {
        UUID endpointId = EndpointRequests.id(id, "webhook_endpoint");
        var input = EndpointRequests.read(body, false, endpoints);
        return EndpointRequests.View.of(endpoints.update(merchant(request), endpointId, input.url(), input.enabled(),
                input.eventTypes()).orElseThrow(WebhookApiController::endpointNotFound));
    }

    @Operation(summary = "Delete a webhook endpoint (its pending deliveries go with it)")
    @DeleteMapping(path = "/v1/webhook_endpoints/{id}")
    ResponseEntity<Void> delete(HttpServletRequest request, @PathVariable String id) {
        if (!endpoints.delete(merchant(request), EndpointRequests.id(id, "webhook_endpoint"))) {
            throw endpointNotFound();
        }
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Rotate the secret: the answer carries the new one; the old one keeps signing for 24 h")
    @PostMapping(path = "/v1/webhook_endpoints/{id}/rotate_secret", produces = APPLICATION_JSON_VALUE)
    EndpointRequests.View rotate(HttpServletRequest request, @PathVariable String id) {
        var rotated = endpoints.rotate(merchant(request), EndpointRequests.id(id, "webhook_endpoint"),
                        properties.webhooks().rotationOverlap())
                .orElseThrow(WebhookApiController::endpointNotFound);
        return EndpointRequests.View.of(rotated.endpoint(), rotated.secret());
    }

    /** An event on the wire: the same shape as a webhook's body. */
    record EventView(String id, String type, long createdAt, JsonNode data) {}

    record EventPage(List<EventView> data, boolean hasMore, @Nullable String nextStartingAfter) {}

    @Operation(summary = "Your events, newest first: limit (1-100), starting_after (an event id), type, "
            + "created_from, created_to (epoch seconds, from inclusive, to exclusive)")
    @GetMapping(path = "/v1/events", produces = APPLICATION_JSON_VALUE)
    EventPage events(HttpServletRequest request, @RequestParam(defaultValue = "25") int limit,
                     @RequestParam(name = "starting_after", required = false) @Nullable String startingAfter,
                     @RequestParam(required = false) @Nullable String type,
                     @RequestParam(name = "created_from", required = false) @Nullable String createdFrom,
                     @RequestParam(name = "created_to", required = false) @Nullable String createdTo) {
        UUID merchantId = merchant(request);
        if (limit < 1 || limit > PAGE_LIMIT_MAX) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "invalid_parameter",
                    "limit must be between 1 and " + PAGE_LIMIT_MAX + ".");
        }
        if (type != null && !WebhookEndpoints.EVENT_TYPES.contains(type)) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "invalid_parameter", "type must be a known event type.");
        }
        WebhookEvents.Event after = null;
        if (startingAfter != null && !startingAfter.isBlank()) {
            after = EndpointRequests.parse(startingAfter).flatMap(id -> events.find(merchantId, id))
                    .orElseThrow(() -> new ApiProblem(HttpStatus.BAD_REQUEST, "invalid_parameter",
                            "starting_after must be one of your event ids."));
        }
        Instant from = EndpointRequests.epochSeconds(createdFrom, "created_from");
        Instant to = EndpointRequests.epochSeconds(createdTo, "created_to");
        List<WebhookEvents.Event> rows = events.page(merchantId, after, type, from, to, limit + 1);
        boolean hasMore = rows.size() > limit;
        List<EventView> data = rows.stream().limit(limit).map(this::view).toList();
        return new EventPage(data, hasMore, hasMore ? data.getLast().id() : null);
    }

    @Operation(summary = "One of your events")
    @GetMapping(path = "/v1/events/{id}", produces = APPLICATION_JSON_VALUE)
    EventView event(HttpServletRequest request, @PathVariable String id) {
        return EndpointRequests.parse(id).flatMap(eventId -> events.find(merchant(request), eventId)).map(this::view)
                .orElseThrow(() -> ApiProblem.notFound("event_not_found", "No such event."));
    }

    private EventView view(WebhookEvents.Event event) {
        return new EventView(event.eventId().toString(), event.type(), event.createdAt().getEpochSecond(),
                json.readTree(event.data()));
    }

    private static UUID merchant(HttpServletRequest request) {
        return ApiKeyAuthenticationFilter.merchantOf(request);
    }

    private static ApiProblem endpointNotFound() {
        return ApiProblem.notFound("webhook_endpoint_not_found", "No such webhook endpoint.");
    }
}
