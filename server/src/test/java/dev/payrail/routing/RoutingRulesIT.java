package dev.payrail.routing;

import static dev.payrail.routing.RoutingScenario.APPROVE;
import static dev.payrail.routing.RoutingScenario.DEMO_MERCHANT;
import static dev.payrail.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.payrail.support.IntegrationTest;
import dev.payrail.support.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Routing rules from the admin API to real payments: a rule by merchant, currency, BIN range or card country sends
 * its payments to its acquirers (the attempts on GET /v1/payments/{id} say where they went), the lowest priority
 * wins, weights decide the first choice deterministically per payment, the rule's other targets are its cascade;
 * bad rules are refused with stable codes and change nothing; a change made by another node is picked up by polling.
 */
@IntegrationTest
class RoutingRulesIT extends RoutingTestBase {

    @Autowired
    RoutingTable table;

    @Test
    void aRuleForOneMerchantRoutesItsPaymentsAndNoOneElses() {
        HttpResponse<String> other = scenario.admin("POST", "/admin-api/merchants",
                "{\"webhook_url\":\"https://shop.example/hooks\",\"api_secret\":\"whsec-routing\"}");
        assertThat(other.statusCode()).isEqualTo(201);
        String otherKey = Json.parse(other.body()).get("api_key").asString();
        scenario.rule("""
                {"name":"demo to gamma","priority":10,"merchant_id":"%s","targets":[{"acquirer":"gamma"}]}"""
                .formatted(DEMO_MERCHANT));

        UUID mine = scenario.pay(APPROVE, "EUR", null);
        UUID theirs = scenario.pay(otherKey, APPROVE, "EUR", null);

        JsonNode routed = scenario.finished(mine);
        assertThat(routed.get("status").asString()).isEqualTo("approved");
        assertThat(routed.get("acquirer").asString()).isEqualTo("gamma");
        assertThat(RoutingScenario.tried(routed)).containsExactly("gamma");
        assertThat(RoutingScenario.tried(scenario.finished(otherKey, theirs))).containsExactly("alpha");
    }

    @Test
    void aRuleForACurrencyRoutesOnlyThatCurrency() {
        scenario.rule("{\"priority\":10,\"currency\":\"jpy\",\"targets\":[{\"acquirer\":\"beta\"}]}");

        UUID yen = scenario.pay(APPROVE, "JPY", null);
        UUID euro = scenario.pay(APPROVE, "EUR", null);

        assertThat(scenario.tried(yen)).containsExactly("beta");
        assertThat(scenario.tried(euro)).containsExactly("alpha");
    }

    @Test
    void aBinRangeMatchesTheCardsFirstDigitsUpToEight() {
        scenario.rule("{\"priority\":10,\"bin_from\":\"42424240\",\"bin_to\":\"42424249\",\"targets\":[{\"acquirer\":\"gamma\"}]}");
        scenario.rule("{\"priority\":20,\"bin_from\":\"400000\",\"bin_to\":\"400000\",\"targets\":[{\"acquirer\":\"beta\"}]}");

        UUID inEight = scenario.pay(APPROVE, "EUR", null);
        UUID inSix = scenario.pay("4000000000000002", "EUR", null); // generic decline (hard) wherever it goes
        UUID outside = scenario.pay("5555555555554444", "EUR", null);

        assertThat(scenario.tried(inEight)).containsExactly("gamma");
        JsonNode declined = scenario.finished(inSix);
        assertThat(declined.get("status").asString()).isEqualTo("declined");
        assertThat(RoutingScenario.tried(declined)).containsExactly("beta");
        assertThat(scenario.tried(outside).getFirst()).isEqualTo("alpha");
    }

    @Test
    void aCardCountryRuleMatchesTheCustomersCountry() {
        scenario.rule("{\"priority\":10,\"card_country\":\"de\",\"targets\":[{\"acquirer\":\"beta\"}]}");

        UUID german = scenario.pay(APPROVE, "EUR", "DE");
        UUID french = scenario.pay(APPROVE, "EUR", "FR");
        UUID unknown = scenario.pay(APPROVE, "EUR", null);

        assertThat(scenario.tried(german)).containsExactly("beta");
        assertThat(scenario.tried(french)).containsExactly("alpha");
        assertThat(scenario.tried(unknown)).as("no country: the rule does not apply").containsExactly("alpha");
    }

    @Test
    void theMatchingRuleWithTheLowestPriorityWinsAndAPriorityChangeAppliesAtOnce() {
        String byCurrency = scenario.rule("{\"priority\":20,\"currency\":\"EUR\",\"targets\":[{\"acquirer\":\"beta\"}]}");
        scenario.rule("{\"priority\":10,\"merchant_id\":\"%s\",\"targets\":[{\"acquirer\":\"gamma\"}]}".formatted(DEMO_MERCHANT));
        scenario.rule("{\"priority\":5,\"currency\":\"EUR\",\"enabled\":false,\"targets\":[{\"acquirer\":\"alpha\"}]}");

        assertThat(scenario.tried(scenario.pay(APPROVE, "EUR", null))).as("disabled rule skipped").containsExactly("gamma");

        HttpResponse<String> patched = scenario.admin("PATCH", "/admin-api/routing-rules/" + byCurrency, "{\"priority\":1}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(scenario.tried(scenario.pay(APPROVE, "EUR", null))).containsExactly("beta");
    }

    @Test
    void aRulesOtherTargetsAreItsCascadeInTheirOrder() {
        // 4000000000000101 is declined softly by alpha and approved by beta and gamma.
        scenario.rule("""
                {"priority":10,"currency":"EUR","targets":[{"acquirer":"alpha","weight":1},{"acquirer":"gamma"},{"acquirer":"beta"}]}""");

        JsonNode payment = scenario.finished(scenario.pay("4000000000000101", "EUR", null));

        assertThat(RoutingScenario.tried(payment)).containsExactly("alpha", "gamma");
        assertThat(payment.get("acquirer").asString()).isEqualTo("gamma");
        assertThat(payment.get("status").asString()).isEqualTo("approved");
    }

    @Test
    void weightedTargetsShareFirstAttemptsExactlyAsTheDrawSaysAndOneWeightedTargetTakesThemAll() {
        var targets = List.of(new RoutingRule.Target("beta", 1), new RoutingRule.Target("gamma", 1));
        String rule = scenario.rule("""
                {"priority":10,"currency":"EUR","targets":[{"acquirer":"beta","weight":1},{"acquirer":"gamma","weight":1}]}""");

        // Pay until the draw has sent at least two payments to each target (a 1:1 draw gets there quickly); then
        // every payment's first attempt must be exactly the one the draw names for its id.
        Map<UUID, String> expected = new HashMap<>();
        while (expected.size() < 100 && (count(expected, "beta") < 2 || count(expected, "gamma") < 2)) {
            UUID id = scenario.pay(APPROVE, "EUR", null);
            expected.put(id, RoutingTable.firstChoice(targets, id));
        }
        assertThat(count(expected, "beta")).isGreaterThanOrEqualTo(2);
        assertThat(count(expected, "gamma")).isGreaterThanOrEqualTo(2);
        Set<String> firsts = new java.util.HashSet<>();
        expected.forEach((id, first) -> {
            List<String> tried = scenario.tried(id);
            assertThat(tried.getFirst()).as("payment %s", id).isEqualTo(first);
            firsts.add(tried.getFirst());
        });
        assertThat(firsts).containsExactlyInAnyOrder("beta", "gamma");

        // Only gamma weighted: beta stays in the cascade but never comes first.
        HttpResponse<String> changed = scenario.admin("PATCH", "/admin-api/routing-rules/" + rule,
                "{\"targets\":[{\"acquirer\":\"beta\"},{\"acquirer\":\"gamma\",\"weight\":5}]}");
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        List<UUID> after = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            after.add(scenario.pay(APPROVE, "EUR", null));
        }
        for (UUID id : after) {
            assertThat(scenario.tried(id)).as("payment %s", id).containsExactly("gamma");
        }
    }

    @Test
    void anUnknownOutcomeIsSettledAtTheDrawnAcquirerEvenIfTheRuleChangesMeanwhile() {
        var targets = List.of(new RoutingRule.Target("beta", 1), new RoutingRule.Target("gamma", 1));
        String rule = scenario.rule("""
                {"priority":10,"currency":"EUR","targets":[{"acquirer":"beta","weight":1},{"acquirer":"gamma","weight":1}]}""");
        // The late card: the drawn acquirer answers after the time-out, so the attempt stays unknown until an
        // inquiry (the janitor's re-dispatch) finds it approved.
        UUID id = scenario.pay("4000000000000259", "EUR", null);
        String drawn = RoutingTable.firstChoice(targets, id);
        String other = drawn.equals("beta") ? "gamma" : "beta";
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("""
                select count(*) from payment_attempts
                where payment_id = ? and acquirer = ? and outcome in ('unknown', 'pending')""")
                .params(id, drawn).query(Long.class).single() == 1);

        HttpResponse<String> changed = scenario.admin("PATCH", "/admin-api/routing-rules/" + rule,
                "{\"targets\":[{\"acquirer\":\"%s\"}]}".formatted(other));
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);

        JsonNode payment = scenario.finished(id);
        assertThat(payment.get("status").asString()).isEqualTo("approved");
        assertThat(payment.get("acquirer").asString()).isEqualTo(drawn);
        assertThat(RoutingScenario.tried(payment)).as("no cascade while the outcome was unknown").containsExactly(drawn);
    }

    @Test
    void aRuleWhoseTargetsAreAllDisabledFailsThePaymentRatherThanSendItElsewhere() {
        scenario.rule("{\"priority\":10,\"currency\":\"EUR\",\"targets\":[{\"acquirer\":\"beta\"}]}");
        scenario.setEnabled("beta", false);

        JsonNode payment = scenario.finished(scenario.pay(APPROVE, "EUR", null));

        assertThat(payment.get("status").asString()).isEqualTo("failed");
        assertThat(payment.get("attempts")).isEmpty();
    }

    @Test
    void aChangeWrittenByAnotherNodeIsPickedUpByPolling() {
        UUID paymentId = UUID.randomUUID();
        var facts = new RoutingFacts(paymentId, UUID.fromString(DEMO_MERCHANT), "CHF", APPROVE, null);
        assertThat(table.route(facts)).containsExactly("alpha", "beta", "gamma");

        // What another node's admin API does: the row and the version in one transaction; this node is not told.
        jdbc.sql("""
                insert into routing_rules (rule_id, name, priority, enabled, currency, targets, created_at, updated_at)
                values (?, 'from another node', 1, true, 'CHF', '[{"acquirer":"gamma","weight":1}]', now(), now())""")
                .param(UUID.randomUUID()).update();
        jdbc.sql("update routing_version set version = version + 1").update();

        await().atMost(Duration.ofSeconds(30)).until(() -> table.route(facts).equals(List.of("gamma")));
    }

    @Test
    void rulesAreCreatedReadReplacedPatchedAndDeletedUnderBothPrefixes() {
        HttpResponse<String> created = scenario.admin("POST", "/api/admin-api/routing-rules", """
                {"name":"EU cards","priority":7,"currency":"eur","bin_from":"400000","bin_to":"499999",
                 "card_country":"fr","targets":[{"acquirer":"gamma","weight":2},{"acquirer":"alpha"}]}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode rule = Json.parse(created.body());
        String id = rule.get("rule_id").asString();
        assertThat(created.headers().firstValue("Location")).hasValue("/admin-api/routing-rules/" + id);
        assertThat(rule.get("currency").asString()).isEqualTo("EUR");
        assertThat(rule.get("card_country").asString()).isEqualTo("FR");
        assertThat(rule.get("enabled").asBoolean()).isTrue();
        assertThat(rule.get("merchant_id").isNull()).isTrue();
        assertThat(rule.get("targets").get(0).get("weight").asInt()).isEqualTo(2);
        assertThat(rule.get("targets").get(1).get("weight").isNull()).isTrue();

        JsonNode read = Json.parse(scenario.admin("GET", "/admin-api/routing-rules/" + id, null).body());
        assertThat(read).isEqualTo(rule);
        JsonNode list = Json.parse(scenario.admin("GET", "/admin-api/routing-rules", null).body());
        assertThat(list.get("total").asInt()).isEqualTo(1);
        assertThat(list.get("items").get(0)).isEqualTo(rule);

        HttpResponse<String> patched = scenario.admin("PATCH", "/admin-api/routing-rules/" + id,
                "{\"card_country\":null,\"enabled\":false}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        JsonNode afterPatch = Json.parse(patched.body());
        assertThat(afterPatch.get("card_country").isNull()).isTrue();
        assertThat(afterPatch.get("enabled").asBoolean()).isFalse();
        assertThat(afterPatch.get("currency").asString()).as("untouched").isEqualTo("EUR");
        assertThat(afterPatch.get("name").asString()).isEqualTo("EU cards");

        HttpResponse<String> replaced = scenario.admin("PUT", "/api/admin-api/routing-rules/" + id,
                "{\"priority\":3,\"targets\":[{\"acquirer\":\"beta\"}]}");
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        JsonNode afterPut = Json.parse(replaced.body());
        assertThat(afterPut.get("currency").isNull()).as("PUT replaces every field").isTrue();
        assertThat(afterPut.get("bin_from").isNull()).isTrue();
        assertThat(afterPut.get("priority").asInt()).isEqualTo(3);
        assertThat(afterPut.get("created_at")).isEqualTo(rule.get("created_at"));

        assertThat(scenario.admin("DELETE", "/admin-api/routing-rules/" + id, null).statusCode()).isEqualTo(204);
        assertProblem(scenario.admin("GET", "/admin-api/routing-rules/" + id, null), 404, "routing_rule_not_found");
        assertProblem(scenario.admin("DELETE", "/admin-api/routing-rules/" + id, null), 404, "routing_rule_not_found");
    }

    @Test
    void theAdminRoutesAreInTheOpenApiDescription() {
        JsonNode paths = Json.parse(new dev.payrail.support.Http(port).get("/v3/api-docs", Map.of()).body()).get("paths");
        assertThat(paths.has("/admin-api/routing-rules")).isTrue();
        assertThat(paths.get("/admin-api/routing-rules/{id}").has("patch")).isTrue();
        assertThat(paths.get("/admin-api/acquirers/{name}").has("patch")).isTrue();
    }

    @Test
    void unknownRulesAre404AndTheAdminTokenIsRequired() {
        String unknown = "/admin-api/routing-rules/" + UUID.randomUUID();
        assertProblem(scenario.admin("GET", unknown, null), 404, "routing_rule_not_found");
        assertProblem(scenario.admin("PATCH", unknown, "{\"priority\":1}"), 404, "routing_rule_not_found");
        assertProblem(scenario.admin("PUT", unknown, "{\"priority\":1,\"targets\":[{\"acquirer\":\"beta\"}]}"), 404,
                "routing_rule_not_found");
        assertProblem(scenario.admin("DELETE", unknown, null), 404, "routing_rule_not_found");
        assertProblem(scenario.admin("GET", "/admin-api/routing-rules/not-a-uuid", null), 404, "routing_rule_not_found");

        HttpResponse<String> anonymous = new dev.payrail.support.Http(port).get("/admin-api/routing-rules", Map.of());
        assertProblem(anonymous, 401, "authentication_required");
    }

    @Test
    void badRulesAreRefusedWithAStableCodePerFieldAndChangeNothing() {
        String valid = scenario.rule("{\"priority\":10,\"currency\":\"EUR\",\"targets\":[{\"acquirer\":\"beta\"}]}");
        String before = scenario.admin("GET", "/admin-api/routing-rules", null).body();

        refused("{\"priority\":1,\"targets\":[{\"acquirer\":\"delta\"}]}", "targets[0].acquirer", "unknown_acquirer");
        refused("{\"priority\":1,\"targets\":[{\"acquirer\":\"beta\",\"weight\":0}]}", "targets[0].weight", "invalid_weight");
        refused("{\"priority\":1,\"targets\":[{\"acquirer\":\"beta\",\"weight\":-3}]}", "targets[0].weight", "invalid_weight");
        refused("{\"priority\":1,\"targets\":[{\"acquirer\":\"beta\"},{\"acquirer\":\"beta\"}]}", "targets[1].acquirer",
                "duplicate_acquirer");
        refused("{\"priority\":1,\"targets\":[]}", "targets", "out_of_range");
        refused("{\"priority\":1}", "targets", "required");
        refused("{\"targets\":[{\"acquirer\":\"beta\"}]}", "priority", "required");
        refused("{\"priority\":-1,\"targets\":[{\"acquirer\":\"beta\"}]}", "priority", "out_of_range");
        refused("{\"priority\":1,\"bin_from\":\"424243\",\"bin_to\":\"424242\",\"targets\":[{\"acquirer\":\"beta\"}]}",
                "bin_from", "bin_range_reversed");
        refused("{\"priority\":1,\"bin_from\":\"424242\",\"bin_to\":\"4242429\",\"targets\":[{\"acquirer\":\"beta\"}]}",
                "bin_to", "bin_length_mismatch");
        refused("{\"priority\":1,\"bin_from\":\"424242\",\"targets\":[{\"acquirer\":\"beta\"}]}", "bin_to",
                "bin_range_incomplete");
        refused("{\"priority\":1,\"bin_from\":\"4242\",\"bin_to\":\"4243\",\"targets\":[{\"acquirer\":\"beta\"}]}",
                "bin_from", "invalid_bin");
        refused("{\"priority\":1,\"currency\":\"XYZ\",\"targets\":[{\"acquirer\":\"beta\"}]}", "currency", "invalid_currency");
        refused("{\"priority\":1,\"card_country\":\"ZZ\",\"targets\":[{\"acquirer\":\"beta\"}]}", "card_country",
                "invalid_country");
        refused("{\"priority\":1,\"merchant_id\":\"nope\",\"targets\":[{\"acquirer\":\"beta\"}]}", "merchant_id",
                "invalid_format");
        refused("{\"priority\":1,\"merchant_id\":\"%s\",\"targets\":[{\"acquirer\":\"beta\"}]}".formatted(UUID.randomUUID()),
                "merchant_id", "unknown_merchant");
        refused("{\"priority\":1,\"currecy\":\"EUR\",\"targets\":[{\"acquirer\":\"beta\"}]}", "currecy", "unknown_field");
        refused("{\"priority\":1,\"enabled\":\"yes\",\"targets\":[{\"acquirer\":\"beta\"}]}", "enabled", "invalid_type");

        // Several problems at once, all reported.
        JsonNode many = assertProblem(scenario.admin("POST", "/admin-api/routing-rules",
                "{\"priority\":1,\"currency\":\"XYZ\",\"targets\":[{\"acquirer\":\"delta\",\"weight\":0}]}"),
                422, "validation_failed");
        assertThat(fields(many)).containsExactlyInAnyOrder("currency", "targets[0].weight");

        assertProblem(scenario.admin("POST", "/admin-api/routing-rules", "[1]"), 400, "invalid_body");
        assertProblem(scenario.admin("POST", "/admin-api/routing-rules", "{"), 400, "malformed_json");

        // A bad update is refused the same way and leaves the rule as it was.
        assertProblem(scenario.admin("PATCH", "/admin-api/routing-rules/" + valid,
                "{\"targets\":[{\"acquirer\":\"beta\",\"weight\":0}]}"), 422, "validation_failed");
        assertProblem(scenario.admin("PUT", "/admin-api/routing-rules/" + valid, "{\"priority\":1}"), 422,
                "validation_failed");
        assertThat(scenario.admin("GET", "/admin-api/routing-rules", null).body()).isEqualTo(before);
    }

    private void refused(String body, String field, String code) {
        JsonNode problem = assertProblem(scenario.admin("POST", "/admin-api/routing-rules", body), 422,
                "validation_failed");
        List<String> codes = new ArrayList<>();
        problem.get("errors").forEach(e -> {
            if (e.get("field").asString().equals(field)) {
                codes.add(e.get("code").asString());
            }
        });
        assertThat(codes).as("%s: %s", body, problem).contains(code);
    }

    private static Set<String> fields(JsonNode problem) {
        Set<String> fields = new java.util.HashSet<>();
        problem.get("errors").forEach(e -> fields.add(e.get("field").asString()));
        return fields;
    }

    private static long count(Map<UUID, String> expected, String acquirer) {
        return expected.values().stream().filter(acquirer::equals).collect(Collectors.counting());
    }
}
