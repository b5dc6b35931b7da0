package dev.payrail.routing;

import dev.payrail.merchant.Merchants;
import dev.payrail.payment.Currencies;
import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.ApiProblem.FieldProblem;
import dev.payrail.platform.JsonFields;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A routing rule as an operator wrote it, checked field by field: every problem of a body is reported at once,
 * each with a stable code, and a refused body changes nothing.
 */
public record RoutingRuleDraft(String name, int priority, boolean enabled, @Nullable UUID merchantId,
                               @Nullable String currency, @Nullable String binFrom, @Nullable String binTo,
                               @Nullable String cardCountry, List<RoutingRule.Target> targets) {

    public static final int PRIORITY_MAX = 1_000_000;
    public static final int TARGETS_MAX = 10;
    public static final int WEIGHT_MAX = 10_000;
    private static final Set<String> FIELDS = Set.of("name", "priority", "enabled", "merchant_id", "currency",
            "bin_from", "bin_to", "card_country", "targets");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final Pattern BIN = Pattern.compile("[0-9]{6,8}");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    RoutingRule toRule(UUID ruleId, Instant createdAt, Instant updatedAt) {
        return new RoutingRule(ruleId, name, priority, enabled, merchantId, currency, binFrom, binTo, cardCountry,
                targets, createdAt, updatedAt);
    }

    /** The editable fields of a rule, as a body would give them: the base a partial update is laid over. */
    public static ObjectNode editable(RoutingRule rule) {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", rule.name());
        node.put("priority", rule.priority());
        node.put("enabled", rule.enabled());
        node.put("merchant_id", rule.merchantId() == null ? null : rule.merchantId().toString());
        node.put("currency", rule.currency());
        node.put("bin_from", rule.binFrom());
        node.put("bin_to", rule.binTo());
        node.put("card_country", rule.cardCountry());
        var targets = node.putArray("targets");
        rule.targets().forEach(t -> {
            ObjectNode target = targets.addObject().put("acquirer", t.acquirer());
            if (t.weight() > 0) {
                target.put("weight", t.weight());
            }
        });
        return node;
    }

    /**
     * Reads and checks a whole rule.
     *
     * @param acquirers the names a target may have (the configured acquirers)
     * @throws ApiProblem {@code invalid_body} when it is not an object, {@code validation_failed} listing every bad field
     */
    public static RoutingRuleDraft parse(@Nullable JsonNode body, Set<String> acquirers, Merchants merchants) {
        JsonFields.object(body);
        List<FieldProblem> errors = new ArrayList<>();
        for (String field : body.propertyNames()) {
            if (!FIELDS.contains(field)) {
                // A misspelt condition would otherwise be dropped silently and the rule would match every payment.
                errors.add(new FieldProblem(field, "unknown_field", "Not a field of a routing rule."));
            }
        }
        String name = JsonFields.string(body.get("name"), "name", false, 255, errors);
        Integer priority = JsonFields.integer(body.get("priority"), "priority", 0, PRIORITY_MAX, errors);
        boolean enabled = !Boolean.FALSE.equals(JsonFields.bool(body.get("enabled"), "enabled", true, errors));
        UUID merchantId = merchant(body.get("merchant_id"), merchants, errors);
        String currency = Currencies.field(body.get("currency"), "currency", false, "invalid_currency", errors);
        String binFrom = bin(body.get("bin_from"), "bin_from", errors);
        String binTo = bin(body.get("bin_to"), "bin_to", errors);
        checkRange(body, binFrom, binTo, errors);
        String country = country(body.get("card_country"), errors);
        List<RoutingRule.Target> targets = targets(body.get("targets"), acquirers, errors);
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        return new RoutingRuleDraft(name == null ? "" : name.trim(), java.util.Objects.requireNonNull(priority),
                enabled, merchantId, currency, binFrom, binTo, country, targets);
    }

    private static @Nullable UUID merchant(@Nullable JsonNode node, Merchants merchants, List<FieldProblem> errors) {
        String text = JsonFields.string(node, "merchant_id", false, 36, errors);
        if (text == null) {
            return null;
        }
        UUID id;
        try {
            id = UUID.fromString(text.trim());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldProblem("merchant_id", "invalid_format", "Must be a merchant id (a UUID)."));
            return null;
        }
        if (!merchants.exists(id)) {
            errors.add(new FieldProblem("merchant_id", "unknown_merchant", "No merchant has this id."));
            return null;
        }
        return id;
    }

    private static @Nullable String bin(@Nullable JsonNode node, String field, List<FieldProblem> errors) {
        String text = JsonFields.string(node, field, false, 8, errors);
        if (text == null) {
            return null;
        }
        if (!BIN.matcher(text).matches()) {
            errors.add(new FieldProblem(field, "invalid_bin", "Must be the first 6 to 8 digits of a card number."));
            return null;
        }
        return text;
    }

    private static void checkRange(JsonNode body, @Nullable String from, @Nullable String to,
                                   List<FieldProblem> errors) {
        boolean fromGiven = body.hasNonNull("bin_from");
        boolean toGiven = body.hasNonNull("bin_to");
        if (fromGiven != toGiven) {
            errors.add(new FieldProblem(fromGiven ? "bin_to" : "bin_from", "bin_range_incomplete",
                    "Give both bin_from and bin_to, or neither."));
        } else if (from != null && to != null) {
            if (from.length() != to.length()) {
                errors.add(new FieldProblem("bin_to", "bin_length_mismatch",
                        "bin_from and bin_to must have the same number of digits."));
            } else if (from.compareTo(to) > 0) {
                errors.add(new FieldProblem("bin_from", "bin_range_reversed", "bin_from must not be above bin_to."));
            }
        }
    }

    private static @Nullable String country(@Nullable JsonNode node, List<FieldProblem> errors) {
        String text = JsonFields.string(node, "card_country", false, 2, errors);
        if (text == null) {
            return null;
        }
        String upper = text.toUpperCase(Locale.ROOT);
        if (!COUNTRIES.contains(upper)) {
            errors.add(new FieldProblem("card_country", "invalid_country",
                    "Must be an ISO 3166-1 alpha-2 country code."));
            return null;
        }
        return upper;
    }

    private static List<RoutingRule.Target> targets(@Nullable JsonNode node, Set<String> acquirers,
                                                    List<FieldProblem> errors) {
        if (node == null || node.isNull()) {
            errors.add(new FieldProblem("targets", "required", "This field is required."));
            return List.of();
        }
        if (!node.isArray()) {
            errors.add(new FieldProblem("targets", "invalid_type", "Must be a list of {acquirer, weight}."));
            return List.of();
        }
        if (node.isEmpty() || node.size() > TARGETS_MAX) {
            errors.add(new FieldProblem("targets", "out_of_range",
                    "Must name between 1 and " + TARGETS_MAX + " acquirers."));
            return List.of();
        }
        List<RoutingRule.Target> targets = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode target = node.get(i);
            String at = "targets[" + i + "]";
            if (!target.isObject()) {
                errors.add(new FieldProblem(at, "invalid_type", "Must be an object {acquirer, weight}."));
                continue;
            }
            for (String field : target.propertyNames()) {
                if (!field.equals("acquirer") && !field.equals("weight")) {
                    errors.add(new FieldProblem(at + "." + field, "unknown_field", "Not a field of a target."));
                }
            }
            String acquirer = JsonFields.string(target.get("acquirer"), at + ".acquirer", true, 64, errors);
            Integer weight = weight(target.get("weight"), at + ".weight", errors);
            if (acquirer == null || weight == null) {
                continue;
            }
            if (!acquirers.contains(acquirer)) {
                errors.add(new FieldProblem(at + ".acquirer", "unknown_acquirer",
                        "Not a configured acquirer (" + String.join(", ", acquirers.stream().sorted().toList()) + ")."));
            } else if (!seen.add(acquirer)) {
                errors.add(new FieldProblem(at + ".acquirer", "duplicate_acquirer",
                        "Each acquirer may appear once in a rule."));
            } else {
                targets.add(new RoutingRule.Target(acquirer, weight));
            }
        }
        return targets;
    }

    /**
     * Absent means "not drawn" (0): the target is only in the cascade, after the first choice. A given weight must be
     * positive.
     */
    private static @Nullable Integer weight(@Nullable JsonNode node, String field, List<FieldProblem> errors) {
        if (node == null || node.isNull()) {
            return 0;
        }
        if (!node.isIntegralNumber()) {
            errors.add(new FieldProblem(field, "invalid_type", "Must be an integer."));
            return null;
        }
        if (!node.canConvertToInt() || node.intValue() < 1 || node.intValue() > WEIGHT_MAX) {
            errors.add(new FieldProblem(field, "invalid_weight", "Must be between 1 and " + WEIGHT_MAX + "."));
            return null;
        }
        return node.intValue();
    }
}
