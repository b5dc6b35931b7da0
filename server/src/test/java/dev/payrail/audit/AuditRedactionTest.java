package dev.payrail.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AuditRedactionTest {

    @Test
    void secretsAreRedactedAtAnyDepthAndPrefixesAndPlainFieldsKept() {
        JsonMapper json = JsonMapper.builder().build();
        JsonNode tree = json.readTree("""
                {"name":"Shop","api_key":"sk_live_0123","api_key_prefix":"sk_live_01","webhook_secret":"whsec_x",
                 "apiSecret":"s","password":"p","password_hash":"h","key":"k","status":"active",
                 "endpoints":[{"url":"https://x","secret":"whsec_y","secret_prefix":"whsec_"}],
                 "card":{"pan":"4242","cvc":"123"},"token":"t","company":"ACME"}""");
        AuditLog.redact(tree);
        assertThat(tree.get("name").asString()).isEqualTo("Shop");
        assertThat(tree.get("status").asString()).isEqualTo("active");
        assertThat(tree.get("company").asString()).isEqualTo("ACME");
        assertThat(tree.get("api_key_prefix").asString()).isEqualTo("sk_live_01");
        assertThat(tree.get("endpoints").get(0).get("url").asString()).isEqualTo("https://x");
        assertThat(tree.get("endpoints").get(0).get("secret_prefix").asString()).isEqualTo("whsec_");
        for (JsonNode redacted : new JsonNode[] {tree.get("api_key"), tree.get("webhook_secret"), tree.get("apiSecret"),
                tree.get("password"), tree.get("password_hash"), tree.get("key"), tree.get("token"),
                tree.get("endpoints").get(0).get("secret"), tree.get("card").get("pan"), tree.get("card").get("cvc")}) {
            assertThat(redacted.asString()).isEqualTo(AuditLog.REDACTED);
        }
    }
}
