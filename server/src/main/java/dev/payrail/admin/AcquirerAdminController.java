package dev.payrail.admin;

import static org.springframework.http.MediaType.APPLICATION_JSON_VALUE;

import dev.payrail.acquirer.Acquirers;
import dev.payrail.audit.AuditLog;
import dev.payrail.platform.AdminApi;
import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.ApiProblem.FieldProblem;
import dev.payrail.platform.JsonBody;
import dev.payrail.platform.JsonFields;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.routing.AcquirerStates;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import tools.jackson.databind.JsonNode;

/**
 * {@code /admin-api/acquirers}: the configured acquirers, whether each takes new payments, and how this node sees
 * them (address, circuit breaker). Connection settings stay in {@code PAYRAIL_ACQUIRERS_*}; only the switch is
 * changed here.
 */
@AdminApi
@Tag(name = "Admin: acquirers", description = AdminApi.BEARER)
@RequiredArgsConstructor
class AcquirerAdminController {

    private final Acquirers acquirers;
    private final AcquirerStates states;
    private final PayrailProperties properties;
    private final AuditLog audit;

    /**
     * One acquirer. {@code circuit_state} is this admin node's own breaker ({@code closed}, {@code open},
     * {@code half_open}); each processing node keeps its own.
     */
    record AcquirerView(String name, boolean enabled, @Nullable String baseUrl, String circuitState,
                        boolean inDefaultRoute) {}

    record AcquirerList(List<AcquirerView> items, int total) {}

    @Schema(name = "ChangeAcquirer")
    record ChangeAcquirerBody(@Schema(description = "false: offer it no new payment",
            requiredMode = Schema.RequiredMode.REQUIRED) Boolean enabled) {}

    @Operation(summary = "List the acquirers and their state")
    @GetMapping(path = "/acquirers", produces = APPLICATION_JSON_VALUE)
    AcquirerList list() {
        List<AcquirerView> items = views();
        return new AcquirerList(items, items.size());
    }

    @Operation(summary = "One acquirer")
    @GetMapping(path = "/acquirers/{name}", produces = APPLICATION_JSON_VALUE)
    AcquirerView one(@PathVariable String name) {
        return view(name);
    }

    @Operation(summary = "Enable or disable an acquirer for new payments (in-flight inquiries and voids still reach it)")
    @JsonBody(ChangeAcquirerBody.class)
    @PatchMapping(path = "/acquirers/{name}", consumes = APPLICATION_JSON_VALUE, produces = APPLICATION_JSON_VALUE)
    AcquirerView change(@PathVariable String name, @Parameter(hidden = true) @RequestBody JsonNode body) {
        AcquirerView before = view(name); // 404 before looking at the body
        JsonFields.object(body);
        List<FieldProblem> errors = new ArrayList<>();
        for (String field : body.propertyNames()) {
            if (!field.equals("enabled")) {
                errors.add(new FieldProblem(field, "unknown_field", "Only enabled can be changed here."));
            }
        }
        JsonNode enabled = body.get("enabled");
        if (enabled == null || enabled.isNull()) {
            errors.add(new FieldProblem("enabled", "required", "This field is required."));
        } else if (!enabled.isBoolean()) {
            errors.add(new FieldProblem("enabled", "invalid_type", "Must be true or false."));
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        states.setEnabled(name, enabled.booleanValue());
        AcquirerView after = view(name);
        audit.record("acquirer.update", "acquirer", name, before, after);
        return after;
    }

    private AcquirerView view(String name) {
        return views().stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> ApiProblem.notFound("acquirer_not_found", "No acquirer has this name."));
    }

    private List<AcquirerView> views() {
        Map<String, Boolean> switches = states.switches();
        return acquirers.conditions().stream()
                .map(c -> new AcquirerView(c.name(), switches.getOrDefault(c.name(), true), c.baseUrl(),
                        c.circuitState(), properties.processing().route().contains(c.name())))
                .toList();
    }
}
