package dev.payrail.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.payrail.support.Http;
import dev.payrail.support.IntegrationTest;
import dev.payrail.support.Json;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Payrail's signatures checked by a library nobody here wrote: a real delivery (body and headers as the
 * receiver got them) is verified by the npm package {@code standardwebhooks} ({@code new Webhook(secret).verify})
 * on the machine's Node.js. The package is installed by {@code ./mvnw verify} from the committed package-lock.json
 * (server/src/test/node/standardwebhooks-check). A tampered body and a wrong secret must fail the same check.
 */
@IntegrationTest
class WebhookSignaturesIT {

    static final Path CHECK = Path.of(System.getProperty("payrail.test.standardwebhooks",
            "src/test/node/standardwebhooks-check"));

    @LocalServerPort
    int port;

    @Test
    void theStandardWebhooksLibraryVerifiesARealDelivery() throws Exception {
        Http http = new Http(port);
        String receiver = "npm-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = http.post("/admin-api/merchants", WebhooksIT.ADMIN,
                "{\"webhook_url\":\"http://127.0.0.1:" + port + "/simulators/merchant/webhook/" + receiver
                        + "\",\"api_secret\":\"npm-api-secret\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode merchant = Json.parse(created.body());
        String secret = merchant.get("webhook_secret").asString();
        HttpResponse<String> payment = http.post("/v1/payments", Map.of("X-API-Key", merchant.get("api_key").asString(),
                "Content-Type", "application/json", "Idempotency-Key", "npm-" + UUID.randomUUID()), """
                {"amount":1999,"currency":"USD","order_id":"npm-check",
                 "payment_method":{"type":"card","number":"4242424242424242","exp_month":12,"exp_year":2034,"cvc":"123"}}""");
        assertThat(payment.statusCode()).as(payment.body()).isEqualTo(201);

        JsonNode received = await().atMost(WebhooksIT.PATIENCE).until(() -> {
            JsonNode log = Json.parse(http.get("/simulators/merchant/webhook/" + receiver, Map.of()).body());
            return log.get("received").isEmpty() ? null : log.get("received").get(0);
        }, r -> r != null);
        String body = received.get("body").asString();
        JsonNode headers = received.get("headers");

        assertThat(node(secret, body, headers)).startsWith("verified payment.approved");
        assertThat(node(secret, body.replace("1999", "1"), headers)).startsWith("not verified");
        assertThat(node(Signatures.newSecret(), body, headers)).startsWith("not verified");
    }

    /** Runs verify.js on one delivery; its output line, "verified …" only when it exited 0. */
    private static String node(String secret, String body, JsonNode headers) throws IOException, InterruptedException {
        Map<String, Object> delivery = new LinkedHashMap<>();
        delivery.put("secret", secret);
        delivery.put("body", body);
        delivery.put("headers", Map.of(
                "webhook-id", headers.get("webhook_id").asString(),
                "webhook-timestamp", headers.get("webhook_timestamp").asString(),
                "webhook-signature", headers.get("webhook_signature").asString()));
        Path file = Files.createTempFile("delivery", ".json");
        try {
            Files.writeString(file, JsonMapper.builder().build().writeValueAsString(delivery));
            Process process = new ProcessBuilder("node", CHECK.resolve("verify.js").toString(), file.toString())
                    .redirectErrorStream(true).start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("node finished").isTrue();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (output.startsWith("verified")) {
                assertThat(process.exitValue()).as(output).isZero();
            } else {
                assertThat(process.exitValue()).as(output).isNotZero();
            }
            return output;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
