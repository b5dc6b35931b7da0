package dev.payrail.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.payrail.support.ApiTestBase;
import dev.payrail.support.IntegrationTest;
import dev.payrail.support.Json;
import dev.payrail.support.OperatorSession;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every admin route, as every role. The routes are read from Spring MVC itself, so a route added without a line in
 * {@link #REQUIRED} fails this test instead of going unchecked. Denied calls must get 403 {@code role_forbidden}
 * (before the handler runs: ids are random, bodies empty, so an allowed call changes nothing and answers 2xx, 4xx
 * validation or 404), anonymous calls 401; no answer to anyone carries a full API key or webhook secret.
 */
@IntegrationTest
class AdminAccessIT extends ApiTestBase {

    enum Need { SIGNED_IN, VIEWER, OPERATOR, ADMIN }

    /** The least role each admin route needs: the specification the rules in {@link AccessRules} must meet. */
    static final Map<String, Need> REQUIRED = new TreeMap<>(Map.ofEntries(
            Map.entry("GET /admin-api/session", Need.SIGNED_IN),
            Map.entry("GET /admin-api/payments", Need.VIEWER),
            Map.entry("GET /admin-api/payments/{paymentId}", Need.VIEWER),
            Map.entry("GET /admin-api/payments/{paymentId}/refunds", Need.VIEWER),
            Map.entry("GET /admin-api/refunds", Need.VIEWER),
            Map.entry("GET /admin-api/stats", Need.VIEWER),
            Map.entry("GET /admin-api/currencies", Need.VIEWER),
            Map.entry("GET /admin-api/stats/overview", Need.VIEWER),
            Map.entry("GET /admin-api/merchants", Need.VIEWER),
            Map.entry("GET /admin-api/merchants/{merchantId}/webhook-endpoints", Need.VIEWER),
            Map.entry("GET /admin-api/merchants/{merchantId}/webhook-endpoints/{endpointId}/deliveries", Need.VIEWER),
            Map.entry("GET /admin-api/acquirers", Need.VIEWER),
            Map.entry("GET /admin-api/acquirers/{name}", Need.VIEWER),
            Map.entry("GET /admin-api/routing-rules", Need.VIEWER),
            Map.entry("GET /admin-api/routing-rules/{id}", Need.VIEWER),
            Map.entry("GET /admin-api/audit-log", Need.VIEWER),
            Map.entry("GET /admin-api/merchants/{merchantId}", Need.VIEWER),
            Map.entry("GET /admin-api/payments/{paymentId}/timeline", Need.VIEWER),
            Map.entry("GET /admin-api/webhook-deliveries", Need.VIEWER),
            Map.entry("GET /admin-api/webhook-deliveries/{deliveryId}", Need.VIEWER),
            Map.entry("GET /admin-api/events", Need.VIEWER),
            Map.entry("POST /admin-api/merchants/{merchantId}/suspend", Need.OPERATOR),
            Map.entry("POST /admin-api/merchants/{merchantId}/resume", Need.OPERATOR),
            Map.entry("PATCH /admin-api/merchants/{merchantId}", Need.ADMIN),
            Map.entry("DELETE /admin-api/merchants/{merchantId}", Need.ADMIN),
            Map.entry("POST /admin-api/merchants/{merchantId}/api-keys", Need.ADMIN),
            Map.entry("POST /admin-api/merchants/{merchantId}/api-keys/{keyId}/rotate", Need.ADMIN),
            Map.entry("POST /admin-api/merchants/{merchantId}/api-keys/{keyId}/revoke", Need.ADMIN),
            Map.entry("PATCH /admin-api/payments/{paymentId}", Need.OPERATOR),
            Map.entry("POST /admin-api/payments/{paymentId}/refunds", Need.OPERATOR),
            Map.entry("POST /admin-api/payments/{paymentId}/simulate-refund", Need.OPERATOR),
            Map.entry("POST /admin-api/payments/{paymentId}/resend-webhook", Need.OPERATOR),
            Map.entry("POST /admin-api/webhook-deliveries/{deliveryId}/redeliver", Need.OPERATOR),
            Map.entry("POST /admin-api/merchants/{merchantId}/webhook-endpoints/{endpointId}/redeliver-dead", Need.OPERATOR),
            Map.entry("GET /admin-api/accounts", Need.ADMIN),
            Map.entry("POST /admin-api/accounts", Need.ADMIN),
            Map.entry("PATCH /admin-api/accounts/{accountId}", Need.ADMIN),
            Map.entry("POST /admin-api/merchants", Need.ADMIN),
            Map.entry("POST /admin-api/merchants/{merchantId}/webhook-endpoints", Need.ADMIN),
            Map.entry("PATCH /admin-api/merchants/{merchantId}/webhook-endpoints/{endpointId}", Need.ADMIN),
            Map.entry("DELETE /admin-api/merchants/{merchantId}/webhook-endpoints/{endpointId}", Need.ADMIN),
            Map.entry("POST /admin-api/merchants/{merchantId}/webhook-endpoints/{endpointId}/rotate-secret", Need.ADMIN),
            Map.entry("PATCH /admin-api/acquirers/{name}", Need.ADMIN),
            Map.entry("POST /admin-api/routing-rules", Need.ADMIN),
            Map.entry("PUT /admin-api/routing-rules/{id}", Need.ADMIN),
            Map.entry("PATCH /admin-api/routing-rules/{id}", Need.ADMIN),
            Map.entry("DELETE /admin-api/routing-rules/{id}", Need.ADMIN)));

    /** Routes tested on their own (AdminSessionIT): logging in and out would end this test's sessions. */
    static final List<String> SESSION_ROUTES = List.of("POST /admin-api/session", "DELETE /admin-api/session",
            "POST /admin-api/session/password");

    private static final Pattern FULL_API_KEY = Pattern.compile("sk_live_[0-9a-f]{32}");
    private static final Pattern FULL_WEBHOOK_SECRET = Pattern.compile("whsec_[A-Za-z0-9+/=]{16,}");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    private final Map<Need, OperatorSession> sessions = new TreeMap<>();

    @BeforeEach
    void logInAsEveryRole() {
        OperatorSession admin = OperatorSession.admin(port);
        sessions.put(Need.ADMIN, admin);
        for (Need role : List.of(Need.VIEWER, Need.OPERATOR)) {
            String email = role.name().toLowerCase() + "-" + UUID.randomUUID() + "@payrail.test";
            String password = "password-" + UUID.randomUUID();
            HttpResponse<String> created = admin.send("POST", "/admin-api/accounts",
                    Json.object("email", email, "password", password, "role", role.name().toLowerCase()));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            OperatorSession session = new OperatorSession(port);
            assertThat(session.login(email, password).statusCode()).isEqualTo(200);
            sessions.put(role, session);
        }
    }

    @Test
    void everyAdminRouteHasARequiredRoleAndEnforcesIt() {
        TreeSet<String> routes = adminRoutes();
        TreeSet<String> unclassified = new TreeSet<>(routes);
        unclassified.removeAll(REQUIRED.keySet());
        unclassified.removeAll(SESSION_ROUTES);
        assertThat(unclassified).as("admin routes without a required role in AdminAccessIT.REQUIRED").isEmpty();
        assertThat(REQUIRED.keySet()).as("REQUIRED names routes that no longer exist").isSubsetOf(routes);

        List<String> wrong = new ArrayList<>();
        for (var route : REQUIRED.entrySet()) {
            String method = route.getKey().substring(0, route.getKey().indexOf(' '));
            String pattern = route.getKey().substring(method.length() + 1);
            for (String prefix : List.of("", "/api")) {
                String path = prefix + concrete(pattern);
                String body = method.equals("GET") || method.equals("DELETE") ? null : "{}";
                HttpResponse<String> anonymous = new OperatorSession(port).send(method, path, body);
                if (anonymous.statusCode() != 401) {
                    wrong.add("anonymous " + method + " " + path + " -> " + anonymous.statusCode());
                }
                for (Need role : List.of(Need.VIEWER, Need.OPERATOR, Need.ADMIN)) {
                    HttpResponse<String> answer = sessions.get(role).send(method, path, body);
                    boolean allowed = role.compareTo(route.getValue()) >= 0;
                    boolean refused = answer.statusCode() == 403 && answer.body().contains("\"role_forbidden\"");
                    if (allowed == refused || answer.statusCode() == 401 || answer.statusCode() >= 500) {
                        wrong.add(role + " " + method + " " + path + " -> " + answer.statusCode() + " " + answer.body());
                    }
                    if (FULL_API_KEY.matcher(answer.body()).find() || FULL_WEBHOOK_SECRET.matcher(answer.body()).find()) {
                        wrong.add(role + " " + method + " " + path + " shows a secret: " + answer.body());
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void aViewerCannotRefundNorSetAStatusAndNothingChanges() {
        String paymentId = Json.parse(http.createPayment("/v1/payments", UUID.randomUUID().toString(),
                "{\"amount\":500,\"currency\":\"EUR\",\"order_id\":\"viewer-test\"}").body()).get("payment_id").asString();
        // Settled first: processing it would otherwise change its status under the comparison below.
        await().atMost(Duration.ofSeconds(60)).until(() -> !List.of("new", "processing").contains(jdbc.sql(
                "select status from payments where payment_id = ?::uuid").param(paymentId).query(String.class).single()));
        long refundsBefore = jdbc.sql("select count(*) from refunds").query(Long.class).single();
        String statusBefore = jdbc.sql("select status from payments where payment_id = ?::uuid").param(paymentId)
                .query(String.class).single();
        OperatorSession viewer = sessions.get(Need.VIEWER);
        HttpResponse<String> refund = viewer.send("POST", "/admin-api/payments/" + paymentId + "/refunds", "{\"amount\":1}");
        HttpResponse<String> status = viewer.send("PATCH", "/admin-api/payments/" + paymentId,
                "{\"status\":\"failed\",\"reason\":\"viewer tries\"}");
        assertThat(refund.statusCode()).isEqualTo(403);
        assertThat(status.statusCode()).isEqualTo(403);
        assertThat(Json.parse(refund.body()).get("code").asString()).isEqualTo("role_forbidden");
        assertThat(jdbc.sql("select count(*) from refunds").query(Long.class).single()).isEqualTo(refundsBefore);
        assertThat(jdbc.sql("select status from payments where payment_id = ?::uuid").param(paymentId)
                .query(String.class).single()).isEqualTo(statusBefore);
    }

    private TreeSet<String> adminRoutes() {
        TreeSet<String> routes = new TreeSet<>();
        mappings.getHandlerMethods().forEach((info, handler) -> {
            if (info.getPathPatternsCondition() == null) {
                return;
            }
            for (String pattern : info.getPathPatternsCondition().getPatternValues()) {
                if (!pattern.startsWith("/admin-api")) {
                    continue;
                }
                var methods = info.getMethodsCondition().getMethods();
                for (RequestMethod method : methods.isEmpty() ? List.of(RequestMethod.GET) : methods) {
                    routes.add(method.name() + " " + pattern);
                }
            }
        });
        return routes;
    }

    /** A path with every variable filled by something that names nothing (so nothing is found or changed). */
    private static String concrete(String pattern) {
        return pattern.replace("{name}", "no-such-acquirer").replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
    }
}
