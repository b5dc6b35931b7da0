package dev.payrail.routing;

import static dev.payrail.routing.RoutingScenario.APPROVE;
import static dev.payrail.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.payrail.support.IntegrationTest;
import dev.payrail.support.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The acquirers' switch and what operators see: a disabled acquirer is offered no new payment (by the default
 * route or by a rule) but still answers the inquiry of a payment it already has; enabling it brings it back; the
 * per-acquirer metrics appear on /actuator/prometheus.
 */
@IntegrationTest
class AcquirerAdminIT extends RoutingTestBase {

    @Test
    void theListShowsEveryAcquirerWithItsSwitchAddressAndCircuit() {
        HttpResponse<String> answer = scenario.admin("GET", "/api/admin-api/acquirers", null);
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode list = Json.parse(answer.body());
        assertThat(list.get("total").asInt()).isEqualTo(3);
        JsonNode alpha = list.get("items").get(0);
        assertThat(alpha.get("name").asString()).isEqualTo("alpha");
        assertThat(alpha.get("enabled").asBoolean()).isTrue();
        assertThat(alpha.get("circuit_state").asString()).isEqualTo("closed");
        assertThat(alpha.get("base_url").asString()).endsWith("/simulators/acquirers/alpha");
        assertThat(alpha.get("in_default_route").asBoolean()).isTrue();
        assertThat(list.get("items").get(2).get("name").asString()).isEqualTo("gamma");
    }

    @Test
    void aDisabledAcquirerIsSkippedByTheDefaultRouteAndByRulesAndComesBackWhenEnabled() {
        HttpResponse<String> disabled = scenario.admin("PATCH", "/admin-api/acquirers/alpha", "{\"enabled\":false}");
        assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
        assertThat(Json.parse(disabled.body()).get("enabled").asBoolean()).isFalse();
        assertThat(Json.parse(scenario.admin("GET", "/admin-api/acquirers/alpha", null).body()).get("enabled").asBoolean())
                .isFalse();

        assertThat(scenario.tried(scenario.pay(APPROVE, "EUR", null))).containsExactly("beta");
        scenario.rule("{\"priority\":1,\"currency\":\"JPY\",\"targets\":[{\"acquirer\":\"alpha\",\"weight\":1},{\"acquirer\":\"gamma\"}]}");
        assertThat(scenario.tried(scenario.pay(APPROVE, "JPY", null))).containsExactly("gamma");

        scenario.setEnabled("alpha", true);
        assertThat(scenario.tried(scenario.pay(APPROVE, "EUR", null))).containsExactly("alpha");
        assertThat(scenario.tried(scenario.pay(APPROVE, "JPY", null))).containsExactly("alpha");
    }

    @Test
    void aPaymentWhoseOutcomeIsUnknownAtADisabledAcquirerIsStillSettledByAskingIt() {
        // The late card: alpha answers after the time-out, so the attempt is unknown and only an inquiry settles it.
        UUID id = scenario.pay("4000000000000259", "EUR", null);
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                "select count(*) from payment_attempts where payment_id = ? and acquirer = 'alpha' and outcome in ('unknown', 'pending')")
                .param(id).query(Long.class).single() == 1);
        scenario.setEnabled("alpha", false);

        JsonNode payment = scenario.finished(id);

        assertThat(payment.get("status").asString()).isEqualTo("approved");
        assertThat(payment.get("acquirer").asString()).isEqualTo("alpha");
        assertThat(RoutingScenario.tried(payment)).containsExactly("alpha");
    }

    @Test
    void everyAcquirerIsDisabledSoAPaymentFailsWithNoRoute() {
        for (String acquirer : new String[] {"alpha", "beta", "gamma"}) {
            scenario.setEnabled(acquirer, false);
        }
        JsonNode payment = scenario.finished(scenario.pay(APPROVE, "EUR", null));
        assertThat(payment.get("status").asString()).isEqualTo("failed");
        assertThat(payment.get("attempts")).isEmpty();
    }

    @Test
    void badSwitchesAreRefusedAndUnknownAcquirersAre404() {
        assertProblem(scenario.admin("PATCH", "/admin-api/acquirers/delta", "{\"enabled\":false}"), 404, "acquirer_not_found");
        assertProblem(scenario.admin("GET", "/admin-api/acquirers/delta", null), 404, "acquirer_not_found");
        assertProblem(scenario.admin("PATCH", "/admin-api/acquirers/alpha", "{\"enabled\":\"no\"}"), 422, "validation_failed");
        assertProblem(scenario.admin("PATCH", "/admin-api/acquirers/alpha", "{}"), 422, "validation_failed");
        assertProblem(scenario.admin("PATCH", "/admin-api/acquirers/alpha", "{\"enabled\":false,\"url\":\"x\"}"), 422,
                "validation_failed");
        assertThat(Json.parse(scenario.admin("GET", "/admin-api/acquirers/alpha", null).body()).get("enabled").asBoolean())
                .as("a refused change changes nothing").isTrue();
        assertProblem(new dev.payrail.support.Http(port).get("/admin-api/acquirers", java.util.Map.of()), 401,
                "authentication_required");
    }

    @Test
    void perAcquirerMetricsAppearAfterPayments() {
        scenario.rule("{\"priority\":1,\"currency\":\"JPY\",\"targets\":[{\"acquirer\":\"gamma\"}]}");
        scenario.finished(scenario.pay(APPROVE, "JPY", null));
        scenario.finished(scenario.pay("4000000000000002", "EUR", null)); // hard decline at alpha

        String metrics = scenario.prometheus();

        assertThat(metrics).containsPattern("payrail_acquirer_attempts_total\\{acquirer=\"gamma\"[^}]*} [1-9]");
        assertThat(metrics).containsPattern("payrail_acquirer_approvals_total\\{acquirer=\"gamma\"[^}]*} [1-9]");
        assertThat(metrics).containsPattern(
                "payrail_acquirer_declines_total\\{acquirer=\"alpha\"[^}]*code=\"generic_decline\"[^}]*kind=\"hard\"[^}]*} [1-9]");
        assertThat(metrics).containsPattern("payrail_acquirer_attempts_total\\{acquirer=\"beta\"[^}]*} ");
        assertThat(metrics).containsPattern(
                "payrail_acquirer_latency_seconds_bucket\\{acquirer=\"gamma\"[^}]*operation=\"authorize\"");
        assertThat(metrics).containsPattern("payrail_acquirer_circuit_state\\{acquirer=\"alpha\"[^}]*state=\"closed\"[^}]*} 1");
        assertThat(metrics).containsPattern("(?m)^payrail_processing_payments(\\{[^}]*})? ");
        assertThat(metrics).containsPattern("(?m)^payrail_processing_oldest_seconds(\\{[^}]*})? ");
    }
}
