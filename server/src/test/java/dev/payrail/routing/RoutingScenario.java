package dev.payrail.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.payrail.support.Http;
import dev.payrail.support.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * What the routing tests do over HTTP: admin calls with the test token (any method), payments as the demo
 * merchant, and waiting for a payment to be final. Also puts the shared state back: no rules, every acquirer
 * enabled, simulators at their defaults, since every integration test shares one application.
 */
final class RoutingScenario {

    static final String DEMO_MERCHANT = "0b85ac22-a90a-4019-b0e7-9d07b672cf34";
    static final String APPROVE = "4242424242424242";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final Http http;
    private final JdbcClient jdbc;

    RoutingScenario(int port, JdbcClient jdbc) {
        this.base = "http://127.0.0.1:" + port;
        this.http = new Http(port);
        this.jdbc = jdbc;
    }

    HttpResponse<String> admin(String method, String path, String body) {
        var builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer dev-admin")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        try {
            return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates a rule and returns its id; fails the test if it is refused. */
    String rule(String body) {
        HttpResponse<String> created = admin("POST", "/admin-api/routing-rules", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Json.parse(created.body()).get("rule_id").asString();
    }

    void setEnabled(String acquirer, boolean enabled) {
        HttpResponse<String> answer = admin("PATCH", "/admin-api/acquirers/" + acquirer, "{\"enabled\":" + enabled + "}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    UUID pay(String card, String currency, String country) {
        return pay(Http.DEMO_KEY, card, currency, country);
    }

    UUID pay(String apiKey, String card, String currency, String country) {
        String customer = country == null ? "" : ",\"customer\":{\"country\":\"" + country + "\"}";
        HttpResponse<String> created = http.post("/v1/payments",
                Map.of("X-API-Key", apiKey, "Content-Type", "application/json", "Idempotency-Key", "rt-" + UUID.randomUUID()),
                """
                {"amount":1500,"currency":"%s","order_id":"routing-test"%s,
                 "payment_method":{"type":"card","number":"%s","exp_month":12,"exp_year":2034,"cvc":"123"}}"""
                        .formatted(currency, customer, card));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return UUID.fromString(Json.parse(created.body()).get("payment_id").asString());
    }

    /** The payment once final, as the merchant sees it. */
    JsonNode finished(UUID id) {
        return finished(Http.DEMO_KEY, id);
    }

    JsonNode finished(String apiKey, UUID id) {
        await().atMost(Duration.ofSeconds(60)).until(() -> !"processing".equals(jdbc.sql(
                "select status from payments where payment_id = ?").param(id).query(String.class).single()));
        HttpResponse<String> answer = http.get("/v1/payments/" + id, Map.of("X-API-Key", apiKey));
        assertThat(answer.statusCode()).isEqualTo(200);
        return Json.parse(answer.body());
    }

    /** The acquirers a final payment was offered to, in order. */
    List<String> tried(UUID id) {
        return tried(finished(id));
    }

    static List<String> tried(JsonNode payment) {
        List<String> tried = new ArrayList<>();
        payment.get("attempts").forEach(a -> tried.add(a.get("acquirer").asString()));
        return tried;
    }

    void simulator(String acquirer, String path, String body) {
        HttpResponse<String> answer = http.post("/simulators/acquirers/" + acquirer + path,
                Map.of("Content-Type", "application/json"), body);
        assertThat(answer.statusCode()).as(answer.body()).isBetween(200, 299);
    }

    String prometheus() {
        HttpResponse<String> answer = http.get("/actuator/prometheus", Map.of());
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body();
    }

    /** Back to a routing state other tests expect: no rules, every acquirer on, simulators at their defaults. */
    void reset() {
        HttpResponse<String> all = admin("GET", "/admin-api/routing-rules", null);
        assertThat(all.statusCode()).isEqualTo(200);
        for (JsonNode rule : Json.parse(all.body()).get("items")) {
            assertThat(admin("DELETE", "/admin-api/routing-rules/" + rule.get("rule_id").asString(), null).statusCode())
                    .isEqualTo(204);
        }
        for (String acquirer : List.of("alpha", "beta", "gamma")) {
            setEnabled(acquirer, true);
            simulator(acquirer, "/knobs/reset", "{}");
        }
    }
}
