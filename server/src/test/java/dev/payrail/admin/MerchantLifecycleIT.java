package dev.payrail.admin;

import static dev.payrail.support.ProblemAssertions.assertProblem;
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
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The merchant lifecycle through the admin API: detail, change, delete, suspension, and API keys issued, rotated
 * and revoked; each change in the audit log, and each one felt by the merchant API at once.
 */
@IntegrationTest
class MerchantLifecycleIT extends ApiTestBase {

    private static final String TOKEN = "Bearer dev-admin";

    /** A merchant made for one test: its id, its first API key, and that key's id. */
    private record Made(String id, String apiKey, String apiKeyId) {}

    private Made newMerchant(String url, String apiSecret) {
        HttpResponse<String> created = admin("POST", "/admin-api/merchants",
                "{\"webhook_url\":\"" + url + "\",\"api_secret\":\"" + apiSecret + "\",\"name\":\"Shop\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode merchant = Json.parse(created.body());
        String id = merchant.get("id").asString();
        JsonNode detail = Json.parse(admin("GET", "/admin-api/merchants/" + id, null).body());
        return new Made(id, merchant.get("api_key").asString(), detail.get("api_keys").get(0).get("id").asString());
    }

    @Test
    void theDetailShowsStandingKeysAndEndpointsWithEverySecretMasked() {
        Made m = newMerchant("https://detail.example/hooks", "detail-secret-value");

        for (String prefix : List.of("/admin-api", "/api/admin-api")) {
            HttpResponse<String> answer = admin("GET", prefix + "/merchants/" + m.id(), null);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).doesNotContain(m.apiKey()).doesNotContain("detail-secret-value")
                    .doesNotContain("whsec_");
            JsonNode detail = Json.parse(answer.body());
            assertThat(detail.get("id").asString()).isEqualTo(m.id());
            assertThat(detail.get("name").asString()).isEqualTo("Shop");
            assertThat(detail.get("status").asString()).isEqualTo("active");
            assertThat(detail.get("suspended_at").isNull()).isTrue();
            assertThat(detail.get("webhook_url").asString()).isEqualTo("https://detail.example/hooks");
            assertThat(detail.get("api_secret").asString()).isEqualTo("deta…");
            assertThat(detail.get("api_key").asString()).isEqualTo(m.apiKey().substring(0, 12) + "…");
            assertThat(detail.get("created_at").isIntegralNumber()).isTrue();
            JsonNode key = detail.get("api_keys").get(0);
            assertThat(detail.get("api_keys")).hasSize(1);
            assertThat(key.get("id").asString()).isEqualTo(m.apiKeyId());
            assertThat(key.get("prefix").asString()).isEqualTo(m.apiKey().substring(0, 12) + "…");
            assertThat(key.get("status").asString()).isEqualTo("active");
            assertThat(key.get("created_at").isIntegralNumber()).isTrue();
            assertThat(key.get("last_used_at").isNull()).isTrue();
            assertThat(key.get("revoked_at").isNull()).isTrue();
            assertThat(key.get("expires_at").isNull()).isTrue();
            assertThat(detail.get("webhook_endpoints")).hasSize(1);
            assertThat(detail.get("webhook_endpoints").get(0).get("url").asString())
                    .isEqualTo("https://detail.example/hooks");
            assertThat(detail.get("webhook_endpoints").get(0).has("secret")).isFalse();
        }

        assertProblem(admin("GET", "/admin-api/merchants/" + UUID.randomUUID(), null), 404, "merchant_not_found");
        assertProblem(admin("GET", "/admin-api/merchants/not-a-uuid", null), 404, "merchant_not_found");
        assertThat(http.get("/admin-api/merchants/" + m.id(), Map.of()).statusCode()).isEqualTo(401);
    }

    @Test
    void aKeysLastUseIsRecordedWithoutAWritePerRequest() {
        Made m = newMerchant("https://used.example/hooks", "x-secret");
        Instant before = Instant.now().minusSeconds(1);
        for (int i = 0; i < 3; i++) {
            assertThat(pay(m.apiKey(), "/v1/payments").statusCode()).isEqualTo(201);
        }
        // Written by the background flush (PAYRAIL_API_KEYS_LAST_USED_FLUSH, 10 s by default).
        await().atMost(Duration.ofSeconds(60)).until(() ->
                !keyOf(m.id(), m.apiKeyId()).get("last_used_at").isNull());
        long lastUsed = keyOf(m.id(), m.apiKeyId()).get("last_used_at").asLong();
        assertThat(lastUsed).isBetween(before.getEpochSecond(), Instant.now().getEpochSecond());
    }

    @Test
    void patchChangesNameAddressAndSecretAndKeepsTheFirstEndpointInStep() {
        Made m = newMerchant("https://before.example/hooks", "old-secret");

        HttpResponse<String> changed = admin("PATCH", "/api/admin-api/merchants/" + m.id(),
                "{\"name\":\"Renamed\",\"webhook_url\":\"https://after.example/hooks\",\"api_secret\":\"new-secret-value\"}");
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(changed.body()).doesNotContain("new-secret-value");
        JsonNode detail = Json.parse(changed.body());
        assertThat(detail.get("name").asString()).isEqualTo("Renamed");
        assertThat(detail.get("webhook_url").asString()).isEqualTo("https://after.example/hooks");
        assertThat(detail.get("api_secret").asString()).isEqualTo("new-…");
        assertThat(detail.get("webhook_endpoints")).hasSize(1);
        assertThat(detail.get("webhook_endpoints").get(0).get("url").asString()).isEqualTo("https://after.example/hooks");
        assertThat(jdbc.sql("select webhook_url from merchants where merchant_id = ?::uuid").param(m.id())
                .query(String.class).single()).isEqualTo("https://after.example/hooks");

        // And the other way round: moving the first endpoint moves the merchant's webhook_url.
        String endpointId = detail.get("webhook_endpoints").get(0).get("id").asString();
        assertThat(admin("PATCH", "/admin-api/merchants/" + m.id() + "/webhook-endpoints/" + endpointId,
                "{\"url\":\"https://third.example/hooks\"}").statusCode()).isEqualTo(200);
        assertThat(Json.parse(admin("GET", "/admin-api/merchants/" + m.id(), null).body()).get("webhook_url")
                .asString()).isEqualTo("https://third.example/hooks");
        // Deleting the first endpoint makes the next one the merchant's webhook_url.
        assertThat(admin("POST", "/admin-api/merchants/" + m.id() + "/webhook-endpoints",
                "{\"url\":\"https://second.example/hooks\"}").statusCode()).isEqualTo(201);
        assertThat(admin("DELETE", "/admin-api/merchants/" + m.id() + "/webhook-endpoints/" + endpointId, null)
                .statusCode()).isEqualTo(204);
        assertThat(Json.parse(admin("GET", "/admin-api/merchants/" + m.id(), null).body()).get("webhook_url")
                .asString()).isEqualTo("https://second.example/hooks");

        // The prototype's api_key: replaces the merchant's key at once.
        assertThat(pay(m.apiKey(), "/v1/payments").statusCode()).isEqualTo(201);
        String chosen = "sk_live_" + UUID.randomUUID().toString().replace("-", "");
        HttpResponse<String> rekeyed = admin("PATCH", "/admin-api/merchants/" + m.id(), "{\"api_key\":\"" + chosen + "\"}");
        assertThat(rekeyed.statusCode()).as(rekeyed.body()).isEqualTo(200);
        assertThat(rekeyed.body()).doesNotContain(chosen);
        assertProblem(pay(m.apiKey(), "/v1/payments"), 401, "api_key_invalid");
        assertThat(pay(chosen, "/v1/payments").statusCode()).isEqualTo(201);
        // Setting the key it already has keeps that key; setting its revoked one is refused.
        assertThat(admin("PATCH", "/admin-api/merchants/" + m.id(), "{\"api_key\":\"" + chosen + "\"}")
                .statusCode()).isEqualTo(200);
        assertThat(pay(chosen, "/v1/payments").statusCode()).isEqualTo(201);
        assertProblem(admin("PATCH", "/admin-api/merchants/" + m.id(), "{\"api_key\":\"" + m.apiKey() + "\"}"),
                409, "api_key_taken");
        assertThat(pay(chosen, "/v1/payments").statusCode()).isEqualTo(201);

        assertThat(jdbc.sql("select count(*) from audit_log where action = 'merchant.update' and target_id = ?")
                .param(m.id()).query(Long.class).single()).isEqualTo(3);
        String audited = jdbc.sql("select string_agg(coalesce(before::text, '') || coalesce(after::text, ''), ' ') "
                + "from audit_log where target_id = ?").param(m.id()).query(String.class).single();
        assertThat(audited).contains("Renamed").contains("api_secret").doesNotContain("new-secret-value")
                .doesNotContain("old-secret").doesNotContain(chosen).doesNotContain(m.apiKey());
    }

    @Test
    void badChangesAreRefusedAndChangeNothing() {
        Made m = newMerchant("https://bad.example/hooks", "secret-1");
        String path = "/admin-api/merchants/" + m.id();

        assertProblem(admin("PATCH", path, "{}"), 400, "nothing_to_change");
        assertProblem(admin("PATCH", path, "{\"unknown\":1}"), 400, "nothing_to_change");
        assertProblem(admin("PATCH", path, "[1]"), 400, "invalid_body");
        JsonNode invalid = assertProblem(admin("PATCH", path,
                "{\"webhook_url\":\"ftp://x\",\"api_key\":\"short\",\"api_secret\":\"\"}"), 422, "validation_failed");
        List<String> problems = new ArrayList<>();
        invalid.get("errors").forEach(e -> problems.add(e.get("field").asString() + " " + e.get("code").asString()));
        assertThat(problems).containsExactlyInAnyOrder("webhook_url invalid_url", "api_key invalid_format",
                "api_secret required");
        assertProblem(admin("PATCH", "/admin-api/merchants/" + UUID.randomUUID(), "{\"name\":\"x\"}"), 404,
                "merchant_not_found");
        assertProblem(admin("PATCH", path, "{\"api_key\":\"" + Http.DEMO_KEY + "\"}"), 409, "api_key_taken");

        JsonNode detail = Json.parse(admin("GET", path, null).body());
        assertThat(detail.get("webhook_url").asString()).isEqualTo("https://bad.example/hooks");
        assertThat(detail.get("api_keys")).hasSize(1);
        assertThat(pay(m.apiKey(), "/v1/payments").statusCode()).isEqualTo(201);
        assertThat(jdbc.sql("select count(*) from audit_log where action = 'merchant.update' and target_id = ?")
                .param(m.id()).query(Long.class).single()).isZero();
    }

    @Test
    void aMerchantWithPaymentsCannotBeDeletedAndOneWithoutStopsAuthenticatingAtOnce() {
        Made busy = newMerchant("https://busy.example/hooks", "busy-secret");
        assertThat(pay(busy.apiKey(), "/v1/payments").statusCode()).isEqualTo(201);
        assertProblem(admin("DELETE", "/admin-api/merchants/" + busy.id(), null), 409, "merchant_has_payments");
        assertThat(pay(busy.apiKey(), "/v1/payments").statusCode()).isEqualTo(201);

        Made idle = newMerchant("https://idle.example/hooks", "idle-secret");
        // Its key is in this node's cache: the refusal below shows the delete emptied it.
        assertProblem(http.get("/v1/payments/" + UUID.randomUUID(), Map.of("X-API-Key", idle.apiKey())), 404,
                "payment_not_found");
        HttpResponse<String> deleted = admin("DELETE", "/api/admin-api/merchants/" + idle.id(), null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        // A read: refused by authentication itself, not by a foreign key at the insert.
        assertProblem(http.get("/v1/payments/" + UUID.randomUUID(), Map.of("X-API-Key", idle.apiKey())), 401,
                "api_key_invalid");
        assertProblem(pay(idle.apiKey(), "/v1/payments"), 401, "api_key_invalid");
        assertProblem(admin("GET", "/admin-api/merchants/" + idle.id(), null), 404, "merchant_not_found");
        assertProblem(admin("DELETE", "/admin-api/merchants/" + idle.id(), null), 404, "merchant_not_found");
        assertThat(jdbc.sql("select (select count(*) from api_keys where merchant_id = ?::uuid)"
                        + " + (select count(*) from webhook_endpoints where merchant_id = ?::uuid)")
                .params(idle.id(), idle.id()).query(Long.class).single()).isZero();

        assertThat(actions(busy.id())).containsExactly("merchant.create");
        assertThat(actions(idle.id())).containsExactly("merchant.create", "merchant.delete");
    }

    @Test
    void aSuspendedMerchantIsRefusedOnEveryMerchantRouteWhileOthersAndItsPaymentsCarryOn() {
        Made m = newMerchant("https://suspended.example/hooks", "s-secret");
        HttpResponse<String> paid = http.post("/v1/payments", Map.of("X-API-Key", m.apiKey(),
                "Content-Type", "application/json"), PaymentTimelineIT.cardBody("4242424242424242", "suspended"));
        assertThat(paid.statusCode()).isEqualTo(201);
        String paymentId = Json.parse(paid.body()).get("payment_id").asString();

        HttpResponse<String> suspended = admin("POST", "/admin-api/merchants/" + m.id() + "/suspend", null);
        assertThat(suspended.statusCode()).as(suspended.body()).isEqualTo(200);
        assertThat(Json.parse(suspended.body()).get("status").asString()).isEqualTo("suspended");
        assertThat(Json.parse(suspended.body()).get("suspended_at").isIntegralNumber()).isTrue();

        assertProblem(pay(m.apiKey(), "/v1/payments"), 403, "merchant_suspended");
        assertProblem(pay(m.apiKey(), "/payments"), 403, "merchant_suspended");
        assertProblem(http.get("/v1/payments/" + paymentId, Map.of("X-API-Key", m.apiKey())), 403, "merchant_suspended");
        assertThat(http.createPayment("/v1/payments", null, Http.SEED_BODY).statusCode()).isEqualTo(201);
        assertThat(http.createPayment("/payments", null, Http.SEED_BODY).statusCode()).isEqualTo(201);
        // Its payment is still processed: the approving test card ends approved.
        await().atMost(Duration.ofSeconds(60)).until(() -> "approved".equals(jdbc.sql(
                "select status from payments where payment_id = ?::uuid").param(paymentId).query(String.class).single()));

        // Suspending again changes nothing and is not audited again.
        assertThat(admin("POST", "/admin-api/merchants/" + m.id() + "/suspend", null).statusCode()).isEqualTo(200);
        HttpResponse<String> resumed = admin("POST", "/api/admin-api/merchants/" + m.id() + "/resume", null);
        assertThat(resumed.statusCode()).isEqualTo(200);
        assertThat(Json.parse(resumed.body()).get("status").asString()).isEqualTo("active");
        assertThat(pay(m.apiKey(), "/v1/payments").statusCode()).isEqualTo(201);

        assertProblem(admin("POST", "/admin-api/merchants/" + UUID.randomUUID() + "/suspend", null), 404,
                "merchant_not_found");
        assertThat(actions(m.id())).containsExactly("merchant.create", "merchant.suspend", "merchant.resume");
        JsonNode suspendRow = Json.parse(jdbc.sql("select json_build_object('before', before, 'after', after, "
                        + "'actor', actor)::text from audit_log where action = 'merchant.suspend' and target_id = ?")
                .param(m.id()).query(String.class).single());
        assertThat(suspendRow.get("before").get("status").asString()).isEqualTo("active");
        assertThat(suspendRow.get("after").get("status").asString()).isEqualTo("suspended");
        assertThat(suspendRow.get("actor").asString()).isEqualTo("token");
    }

    @Test
    void aRotatedKeyWorksDuringItsGraceAndNotAfterWhileItsSuccessorWorks() {
        Made m = newMerchant("https://rotate.example/hooks", "r-secret");
        assertThat(pay(m.apiKey(), "/v1/payments").statusCode()).isEqualTo(201); // cached on this node

        HttpResponse<String> rotated = admin("POST",
                "/admin-api/merchants/" + m.id() + "/api-keys/" + m.apiKeyId() + "/rotate", "{\"grace_seconds\":3}");
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(201);
        JsonNode rotation = Json.parse(rotated.body());
        String successor = rotation.get("api_key").get("api_key").asString();
        String successorId = rotation.get("api_key").get("id").asString();
        assertThat(successor).matches("sk_live_[0-9a-f]{32}").isNotEqualTo(m.apiKey());
        assertThat(rotation.get("previous").get("status").asString()).isEqualTo("rotated");
        assertThat(rotation.get("previous").get("replaced_by").asString()).isEqualTo(successorId);
        long expiresAt = rotation.get("previous").get("expires_at").asLong();
        assertThat(expiresAt).isBetween(Instant.now().getEpochSecond(), Instant.now().getEpochSecond() + 5);

        assertThat(pay(m.apiKey(), "/v1/payments").statusCode()).isEqualTo(201);
        assertThat(pay(successor, "/v1/payments").statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> pay(m.apiKey(), "/v1/payments").statusCode() == 401);
        assertProblem(pay(m.apiKey(), "/payments"), 401, "api_key_invalid");
        assertThat(Instant.now().getEpochSecond()).isGreaterThanOrEqualTo(expiresAt);
        assertThat(pay(successor, "/payments").statusCode()).isEqualTo(201);
        assertThat(keyOf(m.id(), m.apiKeyId()).get("status").asString()).isEqualTo("expired");

        assertProblem(admin("POST", "/admin-api/merchants/" + m.id() + "/api-keys/" + m.apiKeyId() + "/rotate", null),
                409, "api_key_rotated");
        // Without a body the grace is the setting: 24 h.
        HttpResponse<String> again = admin("POST",
                "/admin-api/merchants/" + m.id() + "/api-keys/" + successorId + "/rotate", null);
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(Json.parse(again.body()).get("previous").get("expires_at").asLong() - Instant.now().getEpochSecond())
                .isBetween(86_400L - 60, 86_400L);
        assertThat(pay(successor, "/v1/payments").statusCode()).isEqualTo(201);

        assertProblem(admin("POST", "/admin-api/merchants/" + m.id() + "/api-keys/" + successorId + "/rotate",
                "{\"grace_seconds\":-1}"), 422, "validation_failed");
        assertProblem(admin("POST", "/admin-api/merchants/" + m.id() + "/api-keys/" + UUID.randomUUID() + "/rotate",
                null), 404, "api_key_not_found");
        assertThat(keyActions(m.apiKeyId())).containsExactly("api_key.rotate");
        assertThat(keyActions(successorId)).containsExactly("api_key.create", "api_key.rotate");
        String audited = jdbc.sql("select string_agg(coalesce(before::text, '') || coalesce(after::text, ''), ' ') "
                + "from audit_log where target_type = 'api_key' and target_id in (?, ?)")
                .params(m.apiKeyId(), successorId).query(String.class).single();
        assertThat(audited).doesNotContain(successor).doesNotContain(m.apiKey()).contains(m.apiKey().substring(0, 12));
    }

    @Test
    void aNewKeyWorksBesideTheOldAndARevokedKeyIsRefusedAtOnce() {
        Made m = newMerchant("https://revoke.example/hooks", "v-secret");
        HttpResponse<String> created = admin("POST", "/admin-api/merchants/" + m.id() + "/api-keys", null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode issued = Json.parse(created.body());
        String second = issued.get("api_key").asString();
        String secondId = issued.get("id").asString();
        assertThat(issued.get("prefix").asString()).isEqualTo(second.substring(0, 12) + "…");
        assertThat(issued.get("status").asString()).isEqualTo("active");
        assertThat(pay(second, "/v1/payments").statusCode()).isEqualTo(201);
        assertThat(pay(m.apiKey(), "/v1/payments").statusCode()).isEqualTo(201);

        HttpResponse<String> revoked = admin("POST", "/admin-api/merchants/" + m.id() + "/api-keys/" + secondId + "/revoke", null);
        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(Json.parse(revoked.body()).get("status").asString()).isEqualTo("revoked");
        assertThat(Json.parse(revoked.body()).get("revoked_at").isIntegralNumber()).isTrue();
        assertProblem(pay(second, "/v1/payments"), 401, "api_key_invalid");
        assertThat(pay(m.apiKey(), "/v1/payments").statusCode()).isEqualTo(201);

        assertThat(admin("POST", "/admin-api/merchants/" + m.id() + "/api-keys/" + secondId + "/revoke", null)
                .statusCode()).isEqualTo(200);
        assertProblem(admin("POST", "/admin-api/merchants/" + m.id() + "/api-keys/" + secondId + "/rotate", null),
                409, "api_key_revoked");
        // A key is addressed through its own merchant only.
        Made other = newMerchant("https://other.example/hooks", "o-secret");
        assertProblem(admin("POST", "/admin-api/merchants/" + other.id() + "/api-keys/" + m.apiKeyId() + "/revoke",
                null), 404, "api_key_not_found");
        assertThat(pay(m.apiKey(), "/v1/payments").statusCode()).isEqualTo(201);
        assertProblem(admin("POST", "/admin-api/merchants/" + UUID.randomUUID() + "/api-keys", null), 404,
                "merchant_not_found");

        assertThat(keyActions(secondId)).containsExactly("api_key.create", "api_key.revoke");
        JsonNode listed = Json.parse(admin("GET", "/admin-api/merchants/" + m.id(), null).body());
        assertThat(listed.get("api_keys")).hasSize(2);
        assertThat(listed.get("api_key").asString()).isEqualTo(m.apiKey().substring(0, 12) + "…");
    }

    private HttpResponse<String> pay(String apiKey, String path) {
        return http.post(path, Map.of("X-API-Key", apiKey, "Content-Type", "application/json"), Http.SEED_BODY);
    }

    private JsonNode keyOf(String merchantId, String keyId) {
        for (JsonNode key : Json.parse(admin("GET", "/admin-api/merchants/" + merchantId, null).body()).get("api_keys")) {
            if (key.get("id").asString().equals(keyId)) {
                return key;
            }
        }
        throw new AssertionError("no key " + keyId);
    }

    private List<String> actions(String merchantId) {
        return jdbc.sql("select action from audit_log where target_type = 'merchant' and target_id = ? order by audit_id")
                .param(merchantId).query(String.class).list();
    }

    private List<String> keyActions(String keyId) {
        return jdbc.sql("select action from audit_log where target_type = 'api_key' and target_id = ? order by audit_id")
                .param(keyId).query(String.class).list();
    }

    private HttpResponse<String> admin(String method, String path, String body) {
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
