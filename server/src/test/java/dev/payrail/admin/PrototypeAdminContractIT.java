package dev.payrail.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.payrail.support.ApiTestBase;
import dev.payrail.support.EveryChangeAudited;
import dev.payrail.support.Http;
import dev.payrail.support.IntegrationTest;
import dev.payrail.support.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every admin route of ../shared/CONTRACT.md as the prototype's dashboard called it: under {@code /api/admin-api},
 * with {@code Authorization: Bearer dev-admin} and its query strings, answering the listed shapes with epoch-second
 * times. (The same routes under {@code /admin-api} are covered by the other admin tests and AdminAccessIT.)
 */
@IntegrationTest
class PrototypeAdminContractIT extends ApiTestBase {

    private static final String API = "/api/admin-api";
    private static final Map<String, String> DASHBOARD = Map.of("Authorization", "Bearer dev-admin",
            "Content-Type", "application/json");
    private static final String APPROVED_CARD = "4242424242424242";

    @Test
    void theDashboardsMerchantCalls() {
        HttpResponse<String> created = call("POST", "/merchants",
                "{\"webhook_url\":\"http://127.0.0.1:9/hook\",\"api_secret\":\"s3cret\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode merchant = Json.parse(created.body());
        String id = merchant.get("id").asString();
        assertThat(merchant.get("api_key").asString()).matches("sk_live_[0-9a-f]{32}");
        assertThat(merchant.get("webhook_url").asString()).isEqualTo("http://127.0.0.1:9/hook");

        JsonNode listed = Json.parse(call("GET", "/merchants", null).body());
        assertThat(listed.isArray()).isTrue();
        JsonNode mine = find(listed, "id", id);
        for (String field : new String[] {"id", "webhook_url", "api_secret", "api_key"}) {
            assertThat(mine.has(field)).as(field).isTrue();
        }

        HttpResponse<String> patched = call("PATCH", "/merchants/" + id, "{\"webhook_url\":\"http://127.0.0.1:9/new\"}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(Json.parse(patched.body()).get("webhook_url").asString()).isEqualTo("http://127.0.0.1:9/new");
        assertThat(call("PATCH", "/merchants/" + id, "{}").statusCode()).isEqualTo(400);
        assertThat(call("PATCH", "/merchants/" + UUID.randomUUID(), "{\"webhook_url\":\"http://127.0.0.1:9/x\"}")
                .statusCode()).isEqualTo(404);

        assertThat(call("DELETE", "/merchants/" + id, null).statusCode()).isEqualTo(204);
        assertThat(call("DELETE", "/merchants/" + id, null).statusCode()).isEqualTo(404);
        String demo = "0b85ac22-a90a-4019-b0e7-9d07b672cf34";
        http.createPayment("/v1/payments", null, Http.SEED_BODY);
        assertThat(call("DELETE", "/merchants/" + demo, null).statusCode()).isEqualTo(409);
        assertThat(jdbc.sql("select action from audit_log where target_id = ? order by audit_id").param(id)
                .query(String.class).list()).containsSubsequence("merchant.create", "merchant.update", "merchant.delete");
        assertEveryChangeRecordedByItsHandler();
    }

    @Test
    void theDashboardsPaymentRefundAndStatsCalls() {
        long from = Instant.now().minusSeconds(5).getEpochSecond();
        UUID approved = approvedPayment(4200);
        long to = Instant.now().plusSeconds(5).getEpochSecond();
        // q searches payment_search, filled from the payments topic about a second after creation.
        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> call("GET", "/payments?q="
                + approved.toString().substring(0, 35), null).body().contains(approved.toString()));

        HttpResponse<String> page = call("GET", "/payments?limit=25&offset=0&sort=created_at&order=desc&status=approved"
                + "&currency=EUR&merchant_id=0b85ac22-a90a-4019-b0e7-9d07b672cf34&amount_min=4200&amount_max=4200"
                + "&created_from=" + from + "&created_to=" + to + "&q=" + approved.toString().substring(0, 8), null);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        JsonNode list = Json.parse(page.body());
        assertThat(list.get("limit").asInt()).isEqualTo(25);
        assertThat(list.get("offset").asInt()).isZero();
        assertThat(list.get("total").asLong()).isGreaterThanOrEqualTo(1);
        JsonNode item = find(list.get("items"), "payment_id", approved.toString());
        assertThat(item.get("merchant_webhook_url").isString()).isTrue();
        assertThat(item.get("created_at").isIntegralNumber()).as("epoch seconds").isTrue();
        assertThat(item.get("status").asString()).isEqualTo("approved");

        JsonNode one = Json.parse(call("GET", "/payments/" + approved, null).body());
        assertThat(one.get("amount").asLong()).isEqualTo(4200);
        assertThat(call("GET", "/payments/" + UUID.randomUUID(), null).statusCode()).isEqualTo(404);

        HttpResponse<String> resend = call("POST", "/payments/" + approved + "/resend-webhook", null);
        assertThat(resend.statusCode()).as(resend.body()).isEqualTo(202);
        assertThat(Json.parse(resend.body()).get("status").asString()).isEqualTo("queued");

        HttpResponse<String> refund = call("POST", "/payments/" + approved + "/refunds", "{\"amount\":200,\"reason\":\"dashboard\"}");
        assertThat(refund.statusCode()).as(refund.body()).isEqualTo(201);
        JsonNode made = Json.parse(refund.body());
        for (String field : new String[] {"refund_id", "payment_id", "amount", "currency", "status", "reason", "created_at"}) {
            assertThat(made.has(field)).as(field).isTrue();
        }
        assertThat(made.get("created_at").isIntegralNumber()).isTrue();
        HttpResponse<String> simulated = call("POST", "/payments/" + approved + "/simulate-refund",
                "{\"amount\":100,\"success\":true}");
        assertThat(simulated.statusCode()).as(simulated.body()).isEqualTo(201);
        assertThat(call("POST", "/payments/" + approved + "/refunds", "{\"amount\":999999}").statusCode()).isEqualTo(409);

        JsonNode ofPayment = Json.parse(call("GET", "/payments/" + approved + "/refunds", null).body());
        assertThat(ofPayment.get("items").size()).isEqualTo(2);
        assertThat(ofPayment.has("total") && ofPayment.has("limit") && ofPayment.has("offset")).isTrue();
        JsonNode refunds = Json.parse(call("GET", "/refunds?payment_id=" + approved + "&created_from=" + from
                + "&created_to=" + (to + 60) + "&limit=50&offset=0&order=desc", null).body());
        assertThat(refunds.get("items").size()).isEqualTo(2);

        UUID stuck = UUID.fromString(Json.parse(http.createPayment("/v1/payments", null,
                "{\"amount\":300,\"currency\":\"USD\",\"order_id\":\"by-hand\"}").body()).get("payment_id").asString());
        HttpResponse<String> byHand = call("PATCH", "/payments/" + stuck, "{\"status\":\"failed\"}");
        assertThat(byHand.statusCode()).isIn(200, 409); // 409 when an acquirer decided it first
        if (byHand.statusCode() == 200) {
            assertThat(Json.parse(byHand.body()).get("status").asString()).isEqualTo("failed");
        }

        JsonNode stats = Json.parse(call("GET", "/stats", null).body());
        assertThat(stats.get("counts_by_status").get("approved").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(stats.get("merchants_total").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(stats.get("payments_total").asLong()).isGreaterThanOrEqualTo(2);
        assertEveryChangeRecordedByItsHandler();
    }

    /** AuditSafetyNet records a change whose handler recorded nothing; there must be none. */
    private void assertEveryChangeRecordedByItsHandler() {
        assertThat(EveryChangeAudited.unrecordedChanges(jdbc)).isEmpty();
    }

    private HttpResponse<String> call(String method, String path, String body) {
        return http.send(method, API + path, DASHBOARD, body);
    }

    private UUID approvedPayment(long amount) {
        HttpResponse<String> created = http.createPayment("/v1/payments", "contract-" + UUID.randomUUID(), """
                {"amount":%d,"currency":"EUR","order_id":"contract",
                 "payment_method":{"type":"card","number":"%s","exp_month":12,"exp_year":2034,"cvc":"123"}}"""
                .formatted(amount, APPROVED_CARD));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        UUID id = UUID.fromString(Json.parse(created.body()).get("payment_id").asString());
        await().atMost(Duration.ofSeconds(60)).until(() -> !status(id).equals("processing"));
        assertThat(status(id)).isEqualTo("approved");
        return id;
    }

    private String status(UUID id) {
        return jdbc.sql("select status from payments where payment_id = ?").param(id).query(String.class).single();
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode node : array) {
            if (value.equals(node.get(field).asString())) {
                return node;
            }
        }
        throw new AssertionError("no element with " + field + "=" + value + " in " + array);
    }
}
