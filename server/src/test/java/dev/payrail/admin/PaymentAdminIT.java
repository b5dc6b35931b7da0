package dev.payrail.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.payrail.support.ApiTestBase;
import dev.payrail.support.Http;
import dev.payrail.support.IntegrationTest;
import dev.payrail.support.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The prototype's admin payment routes with the query strings its dashboard and load test send: the list and its
 * filters, one payment, a status set by hand (along the state machine only, never to approved), the counts.
 */
@IntegrationTest
class PaymentAdminIT extends ApiTestBase {

    private static final Map<String, String> ADMIN = Map.of("Authorization", "Bearer dev-admin");

    String run;
    List<String> ids;

    @BeforeEach
    void somePayments() {
        run = "adm-" + UUID.randomUUID();
        ids = new ArrayList<>();
        String[] currencies = {"EUR", "USD", "EUR"};
        long[] amounts = {1500, 700, 99_000};
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> created = http.createPayment("/v1/payments", run + "-" + i,
                    "{\"amount\":%d,\"currency\":\"%s\",\"order_id\":\"%s\"}".formatted(amounts[i], currencies[i], run));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            ids.add(Json.parse(created.body()).get("payment_id").asString());
        }
        // q searches payment_search, filled from the payments topic about a second after creation.
        await().atMost(Duration.ofSeconds(30)).until(() -> list("q=" + run).get("total").asLong() == 3);
    }

    private JsonNode list(String query) {
        HttpResponse<String> answer = http.get("/admin-api/payments?" + query, ADMIN);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.parse(answer.body());
    }

    private List<String> idsOf(JsonNode page) {
        List<String> found = new ArrayList<>();
        page.get("items").forEach(item -> found.add(item.get("payment_id").asString()));
        return found;
    }

    @Test
    void theListAnswersThePrototypesShapeWithItsDefaultsNewestFirst() {
        JsonNode page = list("limit=25&offset=0&sort=created_at&order=desc");
        assertThat(page.get("limit").asInt()).isEqualTo(25);
        assertThat(page.get("offset").asLong()).isZero();
        assertThat(page.get("total").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(idsOf(page).subList(0, 3)).containsExactly(ids.get(2), ids.get(1), ids.get(0));
        JsonNode item = page.get("items").get(0);
        for (String field : List.of("payment_id", "merchant_id", "amount", "currency", "status", "order_id",
                "idempotency_key", "created_at", "updated_at", "merchant_webhook_url")) {
            assertThat(item.has(field)).as(field).isTrue();
        }
        assertThat(item.get("created_at").isIntegralNumber()).isTrue();
        assertThat(item.get("created_at").asLong()).isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(600L));
        // the dashboard's prefix
        HttpResponse<String> prefixed = http.get("/api/admin-api/payments?limit=1", ADMIN);
        assertThat(prefixed.statusCode()).isEqualTo(200);
        assertThat(Json.parse(prefixed.body()).get("items")).hasSize(1);
    }

    @Test
    void theCurrencyTableGivesTheMinorUnitsTheAmountsAreIn() {
        HttpResponse<String> answer = http.get("/admin-api/currencies", ADMIN);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode units = Json.parse(answer.body()).get("minor_units");
        assertThat(units.get("EUR").asInt()).isEqualTo(2);
        assertThat(units.get("JPY").asInt()).isEqualTo(0);
        assertThat(units.get("BHD").asInt()).isEqualTo(3);
        // where a browser's Intl data says 0: the API's amounts are in ISO 4217 minor units all the same
        assertThat(units.get("HUF").asInt()).isEqualTo(2);
        assertThat(units.get("IQD").asInt()).isEqualTo(3);
        assertThat(units.has("XAU")).as("a metal is no currency a payment can be in").isFalse();
    }

    @Test
    void everyFilterOfThePrototypeNarrowsTheList() {
        String merchant = list("q=" + run + "-0").get("items").get(0).get("merchant_id").asString();
        long now = Instant.now().getEpochSecond();
        // q: a substring of the idempotency key (each key is run-i)
        assertThat(idsOf(list("q=" + run))).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(idsOf(list("q=" + run + "&currency=eur"))).containsExactlyInAnyOrder(ids.get(0), ids.get(2));
        assertThat(idsOf(list("q=" + run + "&amount_min=1000&amount_max=50000"))).containsExactly(ids.get(0));
        assertThat(idsOf(list("q=" + run + "&sort=amount&order=asc"))).containsExactly(ids.get(1), ids.get(0), ids.get(2));
        assertThat(idsOf(list("q=" + run + "&merchant_id=" + merchant + "&created_from=" + (now - 600)
                + "&created_to=" + (now + 600)))).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(idsOf(list("q=" + run + "&created_to=" + (now - 3600)))).isEmpty();
        assertThat(idsOf(list("q=" + ids.get(1).substring(9, 23)))).containsExactly(ids.get(1)); // part of the id
        JsonNode paged = list("q=" + run + "&limit=2&offset=2&order=asc");
        assertThat(paged.get("total").asLong()).isEqualTo(3);
        assertThat(idsOf(paged)).containsExactly(ids.get(2));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                list("q=" + run + "&status=processing").get("total").asLong() == 0);
        assertThat(list("q=" + run + "&status=approved").get("total").asLong()
                + list("q=" + run + "&status=declined").get("total").asLong()
                + list("q=" + run + "&status=failed").get("total").asLong()).isEqualTo(3);
    }

    @Test
    void qFindsAPaymentByItsOrderIdAsWellAsByIdAndIdempotencyKey() {
        // The console's quick search sends what the operator typed as q: a payment id, an order id or a key.
        String orderId = "quick-" + UUID.randomUUID();
        HttpResponse<String> created = http.createPayment("/v1/payments", "key-" + orderId,
                "{\"amount\":100,\"currency\":\"EUR\",\"order_id\":\"%s\"}".formatted(orderId));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = Json.parse(created.body()).get("payment_id").asString();
        // By its full id at once (the payment table itself); by a piece once the search indexer has it.
        assertThat(idsOf(list("q=" + id))).containsExactly(id);
        await().atMost(Duration.ofSeconds(30)).until(() -> !idsOf(list("q=" + orderId)).isEmpty());
        assertThat(idsOf(list("q=" + orderId.substring("quick-".length())))).containsExactly(id);
        assertThat(idsOf(list("q=key-" + orderId))).containsExactly(id);
        // Under the prototype's prefix too; a piece shared by several orders lists them all.
        assertThat(Json.parse(http.get("/api/admin-api/payments?q=" + orderId, ADMIN).body()).get("total").asLong())
                .isEqualTo(1);
        assertThat(idsOf(list("q=" + run + "&limit=200"))).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(idsOf(list("q=no-such-order-" + UUID.randomUUID()))).isEmpty();
    }

    @Test
    void badQueryParametersAreNamedInOneProblemAndAnswerNothing() {
        HttpResponse<String> answer = http.get(
                "/admin-api/payments?limit=0&sort=colour&order=up&status=paid&currency=EURO&created_from=yesterday", ADMIN);
        assertThat(answer.statusCode()).isEqualTo(422);
        JsonNode problem = Json.parse(answer.body());
        assertThat(problem.get("code").asString()).isEqualTo("validation_failed");
        assertThat(problem.get("errors").valueStream().map(e -> e.get("field").asString()))
                .containsExactlyInAnyOrder("limit", "sort", "order", "status", "currency", "created_from");
        assertThat(http.get("/admin-api/payments?limit=201", ADMIN).statusCode()).isEqualTo(422);
        assertThat(http.get("/admin-api/payments", Map.of()).statusCode()).isEqualTo(401);
        assertThat(http.get("/admin-api/stats", Map.of("Authorization", "Bearer wrong")).statusCode()).isEqualTo(401);
    }

    @Test
    void onePaymentWithItsAttemptsAndA404ForAnUnknownOne() {
        await().atMost(Duration.ofSeconds(30)).until(() ->
                !http.get("/admin-api/payments/" + ids.get(0), ADMIN).body().contains("\"processing\""));
        JsonNode payment = Json.parse(http.get("/admin-api/payments/" + ids.get(0), ADMIN).body());
        assertThat(payment.get("payment_id").asString()).isEqualTo(ids.get(0));
        assertThat(payment.get("attempts")).isNotEmpty();
        assertThat(payment.get("merchant_webhook_url").asString()).startsWith("http");
        assertThat(http.get("/admin-api/payments/" + UUID.randomUUID(), ADMIN).statusCode()).isEqualTo(404);
        assertThat(http.get("/admin-api/payments/not-an-id", ADMIN).statusCode()).isEqualTo(404);
    }

    @Test
    void aStuckPaymentIsDeclinedByHandWithItsEventAndRecordAndTheLateApprovalIsVoided() throws Exception {
        // The late card: alpha answers after the time-out, so the payment stays processing for seconds.
        HttpResponse<String> created = http.createPayment("/v1/payments", run + "-late", """
                {"amount":4200,"currency":"EUR","order_id":"stuck",
                 "payment_method":{"type":"card","number":"4000000000000259","exp_month":12,"exp_year":2034,"cvc":"123"}}""");
        String id = Json.parse(created.body()).get("payment_id").asString();
        // the call to alpha is on its way (its answer takes seconds)
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> jdbc.sql(
                "select count(*) from payment_attempts where payment_id = ?::uuid").param(id).query(Long.class).single() > 0);

        HttpResponse<String> declined = patch("/admin-api/payments/" + id, "{\"status\":\"declined\",\"reason\":\"customer called\"}");

        assertThat(declined.statusCode()).as(declined.body()).isEqualTo(200);
        assertThat(Json.parse(declined.body()).get("status").asString()).isEqualTo("declined");
        assertThat(Json.parse(declined.body()).get("decline_code").asString()).isEqualTo("manual");
        assertThat(jdbc.sql("select reason || '/' || actor || '/' || from_status || '/' || to_status "
                + "from payment_manual_changes where payment_id = ?::uuid").param(id).query(String.class).list())
                .containsExactly("customer called/token/processing/declined");
        assertThat(jdbc.sql("select count(*) from outbox where aggregate_id = ?::uuid and event_type = 'payment.declined'")
                .param(id).query(Long.class).single()).isEqualTo(1);
        // alpha approves late; the payment is settled already, so that authorization is voided, never kept
        await().atMost(Duration.ofSeconds(60)).until(() -> Json.parse(http.get(
                "/simulators/acquirers/alpha/transactions/" + id, Map.of()).body()).get("status").asString().equals("voided"));
        assertThat(Json.parse(http.get("/admin-api/payments/" + id, ADMIN).body()).get("status").asString())
                .isEqualTo("declined");

        // a final payment moves nowhere; nobody approves by hand; a made-up status is refused
        HttpResponse<String> again = patch("/admin-api/payments/" + id, "{\"status\":\"failed\"}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(Json.parse(again.body()).get("code").asString()).isEqualTo("illegal_transition");
        HttpResponse<String> approve = patch("/admin-api/payments/" + ids.get(0), "{\"status\":\"approved\"}");
        assertThat(approve.statusCode()).isEqualTo(409);
        assertThat(Json.parse(approve.body()).get("code").asString()).isEqualTo("manual_approval_refused");
        assertThat(patch("/admin-api/payments/" + id, "{\"status\":\"paid\"}").statusCode()).isEqualTo(422);
        assertThat(patch("/admin-api/payments/" + UUID.randomUUID(), "{\"status\":\"failed\"}").statusCode()).isEqualTo(404);
        assertThat(jdbc.sql("select count(*) from payment_manual_changes where payment_id = ?::uuid").param(id)
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void statsCountEveryStatusAndAddUp() {
        JsonNode stats = Json.parse(http.get("/admin-api/stats", ADMIN).body());
        long sum = 0;
        for (String status : List.of("new", "processing", "approved", "declined", "failed")) {
            sum += stats.get("counts_by_status").get(status).asLong();
        }
        assertThat(stats.get("payments_total").asLong()).isEqualTo(sum).isGreaterThanOrEqualTo(3);
        assertThat(stats.get("estimated").asBoolean()).as("no status has over 10,000 payments here").isFalse();
        assertThat(stats.get("merchants_total").asLong()).isGreaterThanOrEqualTo(1);
    }

    private HttpResponse<String> patch(String path, String body) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .header("Authorization", "Bearer dev-admin").header("Content-Type", "application/json")
                            .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}
