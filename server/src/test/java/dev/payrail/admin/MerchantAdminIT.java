package dev.payrail.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.payrail.support.Http;
import dev.payrail.support.IntegrationTest;
import dev.payrail.support.Json;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class MerchantAdminIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void adminCreatesAMerchantWhoseKeyWorksAndIsStoredOnlyAsAHash() {
        Http http = new Http(port);
        HttpResponse<String> created = http.post("/admin-api/merchants",
                Map.of("Authorization", "Bearer dev-admin", "Content-Type", "application/json"),
                "{\"webhook_url\":\"https://shop.example/hooks\",\"api_secret\":\"whsec-1\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode merchant = Json.parse(created.body());
        String key = merchant.get("api_key").asString();
        assertThat(key).matches("sk_live_[0-9a-f]{32}");
        assertThat(merchant.get("api_key_prefix").asString()).isEqualTo(key.substring(0, 12) + "…");

        HttpResponse<String> payment = http.post("/v1/payments",
                Map.of("X-API-Key", key, "Content-Type", "application/json"), Http.SEED_BODY);
        assertThat(payment.statusCode()).isEqualTo(201);
        assertThat(Json.parse(payment.body()).get("merchant_id").asString()).isEqualTo(merchant.get("id").asString());

        String stored = jdbc.sql("select k::text || m::text from api_keys k join merchants m using (merchant_id) where m.merchant_id = ?::uuid")
                .param(merchant.get("id").asString()).query(String.class).single();
        assertThat(stored).doesNotContain(key).doesNotContain(key.substring(8)).doesNotContain("whsec-1");
    }

    @Test
    void adminApiRefusesMissingOrWrongTokenAndBadBodies() {
        Http http = new Http(port);
        String body = "{\"webhook_url\":\"https://shop.example/hooks\",\"api_secret\":\"x\"}";
        HttpResponse<String> missing = http.post("/admin-api/merchants", Map.of("Content-Type", "application/json"), body);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(Json.parse(missing.body()).get("code").asString()).isEqualTo("authentication_required");
        HttpResponse<String> wrong = http.post("/admin-api/merchants",
                Map.of("Authorization", "Bearer nope", "Content-Type", "application/json"), body);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(Json.parse(wrong.body()).get("code").asString()).isEqualTo("admin_token_invalid");

        HttpResponse<String> invalid = http.post("/api/admin-api/merchants",
                Map.of("Authorization", "Bearer dev-admin", "Content-Type", "application/json"),
                "{\"webhook_url\":\"ftp://x\",\"api_key\":\"short\"}");
        assertThat(invalid.statusCode()).isEqualTo(422);
        List<String> problems = new ArrayList<>();
        Json.parse(invalid.body()).get("errors")
                .forEach(e -> problems.add(e.get("field").asString() + " " + e.get("code").asString()));
        assertThat(problems).containsExactlyInAnyOrder("webhook_url invalid_url", "api_secret required",
                "api_key invalid_format");
    }

    @Test
    void aChosenApiKeyCanBeUsedOnceOnly() {
        Http http = new Http(port);
        String key = "sk_live_" + HexFormat.of().formatHex(java.util.UUID.randomUUID().toString().getBytes(), 0, 16);
        String body = "{\"webhook_url\":\"https://a.example/h\",\"api_secret\":\"x\",\"api_key\":\"" + key + "\"}";
        var headers = Map.of("Authorization", "Bearer dev-admin", "Content-Type", "application/json");
        assertThat(http.post("/admin-api/merchants", headers, body).statusCode()).isEqualTo(201);
        HttpResponse<String> again = http.post("/admin-api/merchants", headers, body);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(Json.parse(again.body()).get("code").asString()).isEqualTo("api_key_taken");
    }

    @Test
    void theMerchantListHasThePrototypesFieldsWithTheSecretsMasked() {
        Http http = new Http(port);
        Map<String, String> admin = Map.of("Authorization", "Bearer dev-admin", "Content-Type", "application/json");
        HttpResponse<String> created = http.post("/admin-api/merchants", admin,
                "{\"webhook_url\":\"https://list.example/hooks\",\"api_secret\":\"very-secret-value\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode merchant = Json.parse(created.body());
        String id = merchant.get("id").asString();
        String key = merchant.get("api_key").asString();

        for (String path : List.of("/admin-api/merchants", "/api/admin-api/merchants")) {
            HttpResponse<String> listed = http.get(path, Map.of("Authorization", "Bearer dev-admin"));
            assertThat(listed.statusCode()).isEqualTo(200);
            assertThat(listed.body()).doesNotContain(key).doesNotContain("very-secret-value");
            JsonNode mine = Json.parse(listed.body()).valueStream()
                    .filter(m -> m.get("id").asString().equals(id)).findFirst().orElseThrow();
            assertThat(mine.get("webhook_url").asString()).isEqualTo("https://list.example/hooks");
            assertThat(mine.get("api_secret").asString()).isEqualTo("very…");
            assertThat(mine.get("api_key").asString()).isEqualTo(key.substring(0, 12) + "…");
        }
        assertThat(http.get("/admin-api/merchants", Map.of()).statusCode()).isEqualTo(401);
    }

    @Test
    void aMerchantWhoseSecretCannotBeDecryptedDoesNotTakeTheListDown() {
        UUID broken = UUID.randomUUID();
        jdbc.sql("""
                insert into merchants (merchant_id, name, webhook_url, webhook_secret_enc, created_at, updated_at)
                values (?, 'damaged', 'https://damaged.example/h', '\\x00'::bytea, now(), now())""")
                .param(broken).update();
        HttpResponse<String> listed = new Http(port).get("/admin-api/merchants", Map.of("Authorization", "Bearer dev-admin"));
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        JsonNode damaged = Json.parse(listed.body()).valueStream()
                .filter(m -> m.get("id").asString().equals(broken.toString())).findFirst().orElseThrow();
        assertThat(damaged.get("api_secret").asString()).isEqualTo("(unreadable)");
        assertThat(new Http(port).get("/admin-api/merchants/" + broken, Map.of("Authorization", "Bearer dev-admin"))
                .statusCode()).isEqualTo(200);
    }
}
