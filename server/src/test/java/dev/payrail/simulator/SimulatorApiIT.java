package dev.payrail.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.payrail.support.Http;
import dev.payrail.support.IntegrationTest;
import dev.payrail.support.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The simulators' own HTTP surface: knobs, validation, the books. (The adapters' view is AcquirerContractIT.) */
@IntegrationTest
class SimulatorApiIT {

    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    Http http;

    @BeforeEach
    @AfterEach
    void resetGamma() {
        http = new Http(port);
        http.post("/simulators/acquirers/gamma/knobs/reset", JSON, "{}");
    }

    /** {@link Http} has no PUT; this is the one PUT of the tests. */
    private HttpResponse<String> putKnobs(String body) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/simulators/acquirers/gamma/knobs"))
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void knobsChangeAtRunTimeAndFieldsLeftOutKeepTheirValue() throws Exception {
        HttpResponse<String> response = putKnobs("{\"approval_rate\":0.25,\"latency_mean_ms\":5}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode knobs = Json.parse(http.get("/simulators/acquirers/gamma/knobs", Map.of()).body());
        assertThat(knobs.get("approval_rate").asDouble()).isEqualTo(0.25);
        assertThat(knobs.get("latency_mean_ms").asInt()).isEqualTo(5);
        assertThat(knobs.get("latency_spread_ms").asInt()).isEqualTo(20);
    }

    @Test
    void badKnobsAreRefusedAsProblemJsonNamingEachFieldAndChangeNothing() throws Exception {
        HttpResponse<String> response = putKnobs("{\"approval_rate\":2,\"timeout_rate\":-0.1}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = Json.parse(response.body());
        assertThat(problem.get("code").asString()).isEqualTo("validation_failed");
        assertThat(problem.get("errors").valueStream().map(e -> e.get("field").asString()))
                .containsExactlyInAnyOrder("approval_rate", "timeout_rate");
        JsonNode knobs = Json.parse(http.get("/simulators/acquirers/gamma/knobs", Map.of()).body());
        assertThat(knobs.get("approval_rate").asDouble()).isEqualTo(0.6);
    }

    @Test
    void switchesAreValidatedAndShownWithTheKnobs() {
        assertThat(http.post("/simulators/acquirers/gamma/knobs/fail-next", JSON, "{\"count\":-1}").statusCode())
                .isEqualTo(422);
        assertThat(http.post("/simulators/acquirers/gamma/knobs/down", JSON, "{\"seconds\":86401}").statusCode())
                .isEqualTo(422);

        http.post("/simulators/acquirers/gamma/knobs/fail-next", JSON, "{\"count\":3}");
        http.post("/simulators/acquirers/gamma/knobs/timeout-next", JSON, "{\"count\":2}");
        JsonNode knobs = Json.parse(http.post("/simulators/acquirers/gamma/knobs/down", JSON, "{\"seconds\":60}").body());

        assertThat(knobs.get("fail_next").asInt()).isEqualTo(3);
        assertThat(knobs.get("timeout_next").asInt()).isEqualTo(2);
        assertThat(knobs.get("down_until").isNull()).isFalse();
    }

    @Test
    void anUnknownAcquirerIsNotFound() {
        HttpResponse<String> response = http.get("/simulators/acquirers/delta/knobs", Map.of());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(Json.parse(response.body()).get("code").asString()).isEqualTo("acquirer_not_found");
    }

    @Test
    void aBadAuthorizationIsRefusedWithoutEchoingTheCardNumber() {
        HttpResponse<String> response = http.post("/simulators/acquirers/gamma/authorizations", JSON,
                "{\"reference\":\"r1\",\"amount\":0,\"currency\":\"eur\",\"card\":{\"number\":\"42424242x4242\","
                        + "\"exp_month\":13,\"exp_year\":2030}}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).doesNotContain("42424242x4242");
        assertThat(Json.parse(response.body()).get("errors").valueStream().map(e -> e.get("field").asString()))
                .containsExactlyInAnyOrder("amount", "currency", "card.number", "card.exp_month");
    }

    @Test
    void answersGoOutWithTheirLengthNotInChunks() {
        HttpResponse<String> approved = http.post("/simulators/acquirers/gamma/authorizations", JSON,
                "{\"reference\":\"length-" + UUID.randomUUID() + "\",\"amount\":700,\"currency\":\"USD\","
                        + "\"card\":{\"number\":\"4242424242424242\",\"exp_month\":1,\"exp_year\":2031,\"cvc\":\"999\"}}");
        HttpResponse<String> refused = http.post("/simulators/acquirers/gamma/authorizations", JSON, "{\"amount\":0}");
        HttpResponse<String> ledger = http.get("/simulators/acquirers/gamma/ledger?limit=50", Map.of());

        for (HttpResponse<String> answer : List.of(approved, refused, ledger)) {
            assertThat(answer.headers().firstValue("Transfer-Encoding")).as(answer.uri().toString()).isEmpty();
            assertThat(answer.headers().firstValueAsLong("Content-Length")).as(answer.uri().toString())
                    .hasValue(answer.body().getBytes(StandardCharsets.UTF_8).length);
        }
        assertThat(approved.statusCode()).isEqualTo(200);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(Json.parse(ledger.body()).get("entries")).isNotEmpty();
    }

    @Test
    void theBooksShowTotalsAndEntriesAndKeepOnlyTheLastFourDigits() {
        String reference = "books-" + UUID.randomUUID();
        http.post("/simulators/acquirers/gamma/authorizations", JSON, "{\"reference\":\"" + reference + "\","
                + "\"amount\":700,\"currency\":\"USD\",\"card\":{\"number\":\"4242424242424242\",\"exp_month\":1,"
                + "\"exp_year\":2031,\"cvc\":\"999\"}}");

        JsonNode ledger = Json.parse(http.get("/simulators/acquirers/gamma/ledger?limit=5", Map.of()).body());

        JsonNode entry = ledger.get("entries").valueStream()
                .filter(e -> e.get("reference").asString().equals(reference)).findFirst().orElseThrow();
        assertThat(entry.get("status").asString()).isEqualTo("approved");
        assertThat(entry.get("amount").asLong()).isEqualTo(700);
        assertThat(entry.get("card_last4").asString()).isEqualTo("4242");
        assertThat(ledger.get("totals").valueStream().anyMatch(t -> t.get("kind").asString().equals("authorization")
                && t.get("status").asString().equals("approved") && t.get("currency").asString().equals("USD")))
                .isTrue();
        assertThat(jdbc.sql("select count(*) from simulator_ledger where reference = ?"
                        + " and concat_ws('|', acquirer, reference, code, acquirer_reference, card_last4) like '%4242424242%'")
                .param(reference).query(Long.class).single()).isZero();
    }

    @Test
    void aPendingEntryAbandonedByACrashIsSettledAsASoftDeclineWhenAskedAboutWhileOneStillInTheWorksStaysPending() {
        // Two authorizations booked pending, as a simulator leaves them when its process dies mid-work: one an
        // hour ago (beyond any answer time), one just now (its answer may still come).
        String abandoned = "abandoned-" + UUID.randomUUID();
        String working = "working-" + UUID.randomUUID();
        for (var row : Map.of(abandoned, "now() - interval '1 hour'", working, "now()").entrySet()) {
            jdbc.sql("insert into simulator_ledger (acquirer, reference, kind, amount, currency, status, "
                    + "acquirer_reference, created_at, updated_at) values ('gamma', ?, 'authorization', 500, 'EUR', "
                    + "'pending', 'g-1', " + row.getValue() + ", " + row.getValue() + ")").param(row.getKey()).update();
        }

        JsonNode inquired = Json.parse(http.get("/simulators/acquirers/gamma/transactions/" + abandoned, Map.of()).body());
        assertThat(inquired.get("status").asString()).isEqualTo("declined");
        assertThat(inquired.get("code").asString()).isEqualTo("abandoned");
        assertThat(inquired.get("decline_type").asString()).isEqualTo("soft");
        // A repeated authorization with the reference answers the same settled outcome, never a new decision.
        HttpResponse<String> repeated = http.post("/simulators/acquirers/gamma/authorizations", JSON,
                "{\"reference\":\"" + abandoned + "\",\"amount\":500,\"currency\":\"EUR\"}");
        assertThat(Json.parse(repeated.body()).get("status").asString()).isEqualTo("declined");

        JsonNode stillWorking = Json.parse(http.get("/simulators/acquirers/gamma/transactions/" + working, Map.of()).body());
        assertThat(stillWorking.get("status").asString()).isEqualTo("pending");
    }
}
