package dev.payrail.webhook;

import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.ApiProblem.FieldProblem;
import dev.payrail.platform.JsonFields;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

/** Reading and showing webhook endpoints, shared by the merchant and the admin API. */
final class EndpointRequests {

    private static final int URL_LENGTH_MAX = 2048;

    private EndpointRequests() {}

    /** What a create or change asks for; null fields are not given. */
    /** The body of create and change, for the OpenAPI description; {@link #read} validates the JSON itself. */
    @Schema(name = "WebhookEndpointCreate")
    record CreateBody(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "https (outside embedded mode)") String url,
            @Schema(description = "Event types to send; none: every event but payment.created") List<String> eventTypes) {}

    @Schema(name = "WebhookEndpointChange", description = "At least one of the fields")
    record ChangeBody(String url, Boolean enabled, List<String> eventTypes) {}

    record Input(@Nullable String url, @Nullable Boolean enabled, @Nullable List<String> eventTypes) {}

    /** An endpoint on the wire (snake_case, times in epoch seconds); {@code secret} only at creation or rotation. */
    record View(String id, String merchantId, String url, boolean enabled, @Nullable String disabledReason,
                List<String> eventTypes, long createdAt, long updatedAt, @Nullable Long previousSecretExpiresAt,
                @Nullable String secret) {

        static View of(WebhookEndpoints.Endpoint e) {
            return of(e, null);
        }

        static View of(WebhookEndpoints.Endpoint e, @Nullable String secret) {
            return new View(e.endpointId().toString(), e.merchantId().toString(), e.url(), e.enabled(),
                    e.disabledReason(), e.eventTypes(), e.createdAt().getEpochSecond(), e.updatedAt().getEpochSecond(),
                    e.previousSecretExpiresAt() == null ? null : e.previousSecretExpiresAt().getEpochSecond(), secret);
        }
    }

    record ListView(List<View> data) {}

    static Input read(@Nullable JsonNode body, boolean creating, WebhookEndpoints endpoints) {
        JsonFields.object(body);
        List<FieldProblem> errors = new ArrayList<>();
        String url = JsonFields.string(body.get("url"), "url", creating, URL_LENGTH_MAX, errors);
        if (url != null) {
            url = url.trim();
            endpoints.refusal(url).ifPresent(reason -> errors.add(new FieldProblem("url", "url_not_allowed", reason)));
        }
        Boolean enabled = null;
        JsonNode enabledNode = body.get("enabled");
        if (enabledNode != null && !enabledNode.isNull()) {
            if (enabledNode.isBoolean()) {
                enabled = enabledNode.booleanValue();
            } else {
                errors.add(new FieldProblem("enabled", "invalid_type", "Must be true or false."));
            }
        }
        List<String> eventTypes = null;
        JsonNode typesNode = body.get("event_types");
        if (typesNode != null && !typesNode.isNull()) {
            if (!typesNode.isArray()) {
                errors.add(new FieldProblem("event_types", "invalid_type", "Must be an array of event types."));
            } else {
                eventTypes = new ArrayList<>();
                for (JsonNode type : typesNode) {
                    if (!type.isString() || !WebhookEndpoints.EVENT_TYPES.contains(type.asString())) {
                        errors.add(new FieldProblem("event_types", "unknown_event_type",
                                "Known types: " + String.join(", ", WebhookEndpoints.EVENT_TYPES.stream().sorted().toList()) + "."));
                        break;
                    }
                    if (!eventTypes.contains(type.asString())) {
                        eventTypes.add(type.asString());
                    }
                }
            }
        }
        if (!creating && url == null && enabled == null && eventTypes == null && errors.isEmpty()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "nothing_to_change",
                    "Give at least one of url, enabled, event_types.");
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        return new Input(url, enabled, eventTypes);
    }

    static UUID id(String text, String what) {
        return parse(text).orElseThrow(() -> ApiProblem.notFound(what + "_not_found", "No such " + what.replace('_', ' ') + "."));
    }

    static Optional<UUID> parse(String text) {
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static @Nullable Instant epochSeconds(@Nullable String text, String name) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.ofEpochSecond(Long.parseLong(text.trim()));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "invalid_parameter", name + " must be epoch seconds.");
        }
    }
}
