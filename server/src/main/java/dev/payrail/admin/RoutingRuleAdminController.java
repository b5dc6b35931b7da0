package dev.payrail.admin;

import static org.springframework.http.MediaType.APPLICATION_JSON_VALUE;

import dev.payrail.acquirer.Acquirers;
import dev.payrail.audit.AuditLog;
import dev.payrail.merchant.Merchants;
import dev.payrail.platform.AdminApi;
import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.JsonBody;
import dev.payrail.platform.JsonFields;
import dev.payrail.platform.ProblemResponse;
import dev.payrail.routing.RoutingRule;
import dev.payrail.routing.RoutingRuleDraft;
import dev.payrail.routing.RoutingRules;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
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
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /admin-api/routing-rules}: the rules that send payments to acquirers. A change applies on the node that
 * made it at once and on every processing node within {@code PAYRAIL_ROUTING_REFRESH}.
 */
@AdminApi
@Tag(name = "Admin: routing rules", description = AdminApi.BEARER)
@RequiredArgsConstructor
class RoutingRuleAdminController {

    private final RoutingRules rules;
    private final Merchants merchants;
    private final Acquirers acquirers;
    private final AuditLog audit;

    /** A target as shown: {@code weight} null for a target only in the cascade. */
    record TargetView(String acquirer, @Nullable Integer weight) {}

    /** A rule as shown; times in epoch seconds like the rest of the admin API. */
    record RuleView(String ruleId, String name, int priority, boolean enabled, @Nullable String merchantId,
                    @Nullable String currency, @Nullable String binFrom, @Nullable String binTo,
                    @Nullable String cardCountry, List<TargetView> targets, long createdAt, long updatedAt) {

        static RuleView of(RoutingRule rule) {
            return new RuleView(rule.ruleId().toString(), rule.name(), rule.priority(), rule.enabled(),
                    rule.merchantId() == null ? null : rule.merchantId().toString(), rule.currency(),
                    rule.binFrom(), rule.binTo(), rule.cardCountry(),
                    rule.targets().stream()
                            .map(t -> new TargetView(t.acquirer(), t.weight() == 0 ? null : t.weight())).toList(),
                    rule.createdAt().getEpochSecond(), rule.updatedAt().getEpochSecond());
        }
    }

    record RuleList(List<RuleView> items, int total) {}

    /** The request body, for the OpenAPI description; the handler validates the JSON itself. */
    @Schema(name = "RoutingRule")
    record RuleBody(
            String name,
            @Schema(description = "0-1000000; lower is tried first", requiredMode = Schema.RequiredMode.REQUIRED)
            Integer priority,
            @Schema(description = "default true") Boolean enabled,
            @Schema(description = "condition: this merchant's payments") String merchantId,
            @Schema(description = "condition: ISO 4217 code") String currency,
            @Schema(description = "condition: first 6-8 card digits from (with bin_to, same length)") String binFrom,
            String binTo,
            @Schema(description = "condition: ISO 3166-1 alpha-2, compared with the payment's customer.country")
            String cardCountry,
            @Schema(description = "1-10 acquirers: the first drawn by weight (1-10000) among those with one, then "
                    + "the others in order", requiredMode = Schema.RequiredMode.REQUIRED)
            List<TargetView> targets) {}

    @Operation(summary = "List routing rules in the order they are tried")
    @GetMapping(path = "/routing-rules", produces = APPLICATION_JSON_VALUE)
    RuleList list() {
        List<RuleView> items = rules.all().stream().map(RuleView::of).toList();
        return new RuleList(items, items.size());
    }

    @ProblemResponse(status = 409, codes = {"routing_rules_limit"})
    @Operation(summary = "Create a routing rule")
    @JsonBody(RuleBody.class)
    @PostMapping(path = "/routing-rules", consumes = APPLICATION_JSON_VALUE, produces = APPLICATION_JSON_VALUE)
    ResponseEntity<RuleView> create(@Parameter(hidden = true) @RequestBody JsonNode body) {
        RoutingRuleDraft draft = RoutingRuleDraft.parse(body, acquirers.names(), merchants);
        RoutingRule rule;
        try {
            rule = rules.create(draft);
        } catch (RoutingRules.TooManyRulesException e) {
            throw new ApiProblem(HttpStatus.CONFLICT, "routing_rules_limit",
                    "At most " + RoutingRules.RULES_MAX + " routing rules; remove one first.");
        }
        audit.record("routing_rule.create", "routing_rule", rule.ruleId(), null, RuleView.of(rule));
        return ResponseEntity.created(URI.create("/admin-api/routing-rules/" + rule.ruleId())).body(RuleView.of(rule));
    }

    @Operation(summary = "One routing rule")
    @GetMapping(path = "/routing-rules/{id}", produces = APPLICATION_JSON_VALUE)
    RuleView one(@PathVariable String id) {
        return RuleView.of(existing(id));
    }

    @Operation(summary = "Replace a routing rule (every field; an absent condition is removed)")
    @JsonBody(RuleBody.class)
    @PutMapping(path = "/routing-rules/{id}", consumes = APPLICATION_JSON_VALUE, produces = APPLICATION_JSON_VALUE)
    RuleView replace(@PathVariable String id, @Parameter(hidden = true) @RequestBody JsonNode body) {
        RoutingRule before = existing(id);
        RoutingRuleDraft draft = RoutingRuleDraft.parse(body, acquirers.names(), merchants);
        return save(before, draft);
    }

    @Operation(summary = "Change some fields of a routing rule (null removes a condition)")
    @JsonBody(RuleBody.class)
    @PatchMapping(path = "/routing-rules/{id}", consumes = APPLICATION_JSON_VALUE, produces = APPLICATION_JSON_VALUE)
    RuleView change(@PathVariable String id, @Parameter(hidden = true) @RequestBody JsonNode body) {
        RoutingRule before = existing(id);
        JsonFields.object(body);
        ObjectNode merged = RoutingRuleDraft.editable(before);
        body.properties().forEach(field -> merged.set(field.getKey(), field.getValue()));
        return save(before, RoutingRuleDraft.parse(merged, acquirers.names(), merchants));
    }

    @Operation(summary = "Remove a routing rule")
    @DeleteMapping(path = "/routing-rules/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        RoutingRule before = existing(id);
        if (!rules.delete(before.ruleId())) {
            throw notFound();
        }
        audit.record("routing_rule.delete", "routing_rule", before.ruleId(), RuleView.of(before), null);
        return ResponseEntity.noContent().build();
    }

    private RuleView save(RoutingRule before, RoutingRuleDraft draft) {
        RuleView after = rules.replace(before.ruleId(), draft).map(RuleView::of)
                .orElseThrow(RoutingRuleAdminController::notFound);
        audit.record("routing_rule.update", "routing_rule", before.ruleId(), RuleView.of(before), after);
        return after;
    }

    private RoutingRule existing(String id) {
        UUID ruleId;
        try {
            ruleId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw notFound();
        }
        return rules.find(ruleId).orElseThrow(RoutingRuleAdminController::notFound);
    }

    private static ApiProblem notFound() {
        return ApiProblem.notFound("routing_rule_not_found", "No routing rule has this id.");
    }
}
