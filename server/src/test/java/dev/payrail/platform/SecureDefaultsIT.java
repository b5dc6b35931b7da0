package dev.payrail.platform;

import static dev.payrail.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.payrail.support.ApiTestBase;
import dev.payrail.support.IntegrationTest;
import dev.payrail.support.Json;
import dev.payrail.support.RawHttp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The admin side's secure defaults: actuator shows health and Prometheus and nothing else; the OpenAPI
 * description names the configured server, never the request's Host; the admin API refuses oversized bodies and
 * JSON that names a field twice, as the merchant API does, and a refused request changes nothing.
 */
@IntegrationTest
class SecureDefaultsIT extends ApiTestBase {

    private static final Map<String, String> ADMIN = Map.of("Authorization", "Bearer dev-admin");
    private static final Map<String, String> ADMIN_JSON =
            Map.of("Authorization", "Bearer dev-admin", "Content-Type", "application/json");

    @Autowired
    ApplicationContext context;

    /**
     * Spring Session's filter is narrowed by bean name: if a Spring Boot upgrade renamed the registration, the
     * narrowing would silently stop and every merchant call would pay for the session machinery again.
     */
    @Test
    void springSessionsFilterRunsOnTheAdminApiOnly() {
        var registration = context.getBean(HttpSecurityDefaults.SESSION_FILTER_REGISTRATION,
                DelegatingFilterProxyRegistrationBean.class);
        assertThat(registration.getUrlPatterns()).containsExactlyInAnyOrder("/admin-api/*", "/api/admin-api/*");
    }

    @Test
    void actuatorExposesHealthAndPrometheusWithoutCredentialsAndNothingElse() {
        assertThat(http.get("/actuator/health", Map.of()).statusCode()).isEqualTo(200);
        assertThat(http.get("/actuator/health/readiness", Map.of()).statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = http.get("/actuator/prometheus", Map.of());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("http_server_requests_seconds");
        assertThat(metrics.body()).as("no long-task timer per request on the hot path")
                .doesNotContain("http_server_requests_active_seconds");
        for (String hidden : new String[] {"/actuator", "/actuator/info", "/actuator/env", "/actuator/beans",
                "/actuator/configprops", "/actuator/metrics", "/actuator/loggers", "/actuator/heapdump",
                "/actuator/threaddump", "/actuator/mappings"}) {
            // with the admin token too: exposure is not a matter of credentials
            assertThat(http.get(hidden, ADMIN).statusCode()).as(hidden).isEqualTo(404);
        }
    }

    @Test
    void theDescriptionNamesTheConfiguredServerNotTheRequestsHost() {
        String request = "GET /v3/api-docs HTTP/1.1\r\nHost: evil.example\r\nX-Forwarded-Host: evil.example\r\n"
                + "X-Forwarded-Proto: https\r\nConnection: close";
        RawHttp.Response answer = RawHttp.exchange(port, request, new byte[0]);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).doesNotContain("evil.example");
        JsonNode servers = Json.parse(answer.body()).get("servers");
        assertThat(servers.size()).isEqualTo(1);
        assertThat(servers.get(0).get("url").asString()).isEqualTo("http://127.0.0.1:" + port);
        // Swagger UI is served in embedded mode (the tests' mode)
        assertThat(http.get("/swagger-ui/index.html", Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void adminBodiesOverTheLimitAreRefusedWithoutCreatingAnything() {
        long merchants = merchantRows();
        String padding = "x".repeat(StrictJsonBody.BYTES_MAX);
        String huge = "{\"webhook_url\":\"https://shop.example/h\",\"api_secret\":\"s\",\"name\":\"" + padding + "\"}";
        assertProblem(http.post("/admin-api/merchants", ADMIN_JSON, huge), 413, "body_too_large");
        assertProblem(http.post("/api/admin-api/merchants", ADMIN_JSON, huge), 413, "body_too_large");
        // announced as small but longer (chunked, no length): the same
        String head = "POST /admin-api/merchants HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer dev-admin\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close";
        byte[] bytes = huge.getBytes(StandardCharsets.UTF_8);
        String chunked = Integer.toHexString(bytes.length) + "\r\n" + huge + "\r\n0\r\n\r\n";
        assertProblem(RawHttp.exchange(port, head, chunked.getBytes(StandardCharsets.UTF_8)), 413, "body_too_large");
        assertThat(merchantRows()).isEqualTo(merchants);
    }

    @Test
    void adminJsonNamingAFieldTwiceIsRefusedAndChangesNothing() {
        long merchants = merchantRows();
        String twice = "{\"webhook_url\":\"https://shop.example/h\",\"api_secret\":\"s\",\"api_secret\":\"t\"}";
        assertProblem(http.post("/admin-api/merchants", ADMIN_JSON, twice), 400, "malformed_json");
        String overlong = "{\"webhook_url\":\"https:\u00c0\u00afshop.example\",\"api_secret\":\"s\"}";
        assertProblem(RawHttp.exchange(port, "POST /admin-api/merchants HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer dev-admin\r\nContent-Type: application/json\r\nContent-Length: "
                + overlong.length() + "\r\nConnection: close", overlong.getBytes(StandardCharsets.ISO_8859_1)),
                400, "malformed_json");
        assertThat(merchantRows()).isEqualTo(merchants);

        HttpResponse<String> created = http.createPayment("/v1/payments", "strict-" + UUID.randomUUID(),
                "{\"amount\":100,\"currency\":\"USD\",\"order_id\":\"strict\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        String paymentId = Json.parse(created.body()).get("payment_id").asString();
        String statusBefore = status(paymentId);
        String patch = "PATCH /admin-api/payments/" + paymentId + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer dev-admin\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: ";
        String statusTwice = "{\"status\":\"failed\",\"status\":\"declined\",\"reason\":\"r\"}";
        assertProblem(RawHttp.exchange(port, patch + statusTwice.length(), statusTwice.getBytes(StandardCharsets.UTF_8)),
                400, "malformed_json");
        String big = "{\"status\":\"failed\",\"reason\":\"" + "r".repeat(StrictJsonBody.BYTES_MAX) + "\"}";
        assertProblem(RawHttp.exchange(port, patch + big.length(), big.getBytes(StandardCharsets.UTF_8)),
                413, "body_too_large");
        assertThat(jdbc.sql("select count(*) from payment_manual_changes where payment_id = ?::uuid")
                .param(paymentId).query(Long.class).single()).isZero();
        // the payment may have been settled by processing meanwhile, but never by these requests
        assertThat(status(paymentId)).isIn(statusBefore, "approved", "declined", "failed");
        assertThat(jdbc.sql("select count(*) from payment_manual_changes where payment_id = ?::uuid")
                .param(paymentId).query(Long.class).single()).isZero();
    }

    @Test
    void anUnauthenticatedBodyStillGetsItsUnauthorizedFirst() {
        String twice = "{\"webhook_url\":\"https://shop.example/h\",\"webhook_url\":\"x\"}";
        HttpResponse<String> answer = http.post("/admin-api/merchants", Map.of("Content-Type", "application/json"), twice);
        assertThat(answer.statusCode()).isEqualTo(401);
    }

    private String status(String paymentId) {
        return jdbc.sql("select status from payments where payment_id = ?::uuid").param(paymentId)
                .query(String.class).single();
    }

    private long merchantRows() {
        return jdbc.sql("select count(*) from merchants").query(Long.class).single();
    }
}
