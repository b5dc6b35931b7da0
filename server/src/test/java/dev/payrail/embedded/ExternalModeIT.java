package dev.payrail.embedded;

import static dev.payrail.support.ServerProcesses.awaitHealthy;
import static dev.payrail.support.ServerProcesses.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.payrail.support.Http;
import dev.payrail.support.Json;
import dev.payrail.support.Metrics;
import dev.payrail.support.ServerProcesses;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Nodes as in a distributed deployment: node A runs embedded (it owns PostgreSQL and Kafka), node B is pointed
 * at A's servers through PAYRAIL_DB_URL / PAYRAIL_KAFKA_BOOTSTRAP with roles {@code api,relay} only, node C
 * likewise with role {@code admin} only and no admin token. Idempotency must hold across nodes, both relays
 * must share the outbox without losing events, and an admin API without a configured token refuses everyone.
 */
class ExternalModeIT {

    private final ServerProcesses servers = new ServerProcesses();

    @AfterEach
    void stopAll() throws InterruptedException {
        servers.close();
    }

    @Test
    void nodesOnExternalInfrastructureShareIdempotencyAndTheOutboxAndRunOnlyTheirRoles() throws Exception {
        Path dirA = ServerProcesses.freshDataDir("node-a");
        Path dirB = ServerProcesses.freshDataDir("node-b");
        Path dirC = ServerProcesses.freshDataDir("node-c");
        int portA = freePort();
        int portB = freePort();
        int portC = freePort();
        Process a = servers.start("node-a", Map.of(), "--payrail.data.dir=" + dirA, "--payrail.http.port=" + portA);
        Http httpA = new Http(portA);
        awaitHealthy(httpA, a);

        Properties infra = ServerProcesses.embeddedEnv(dirA);
        Process b = servers.start("node-b", externalNode(infra, dirA, "api,relay", portB, dirB));
        // An admin node on external infrastructure started without PAYRAIL_ADMIN_TOKEN, actuator on a port of its own.
        int managementC = freePort();
        Map<String, String> envC = new java.util.HashMap<>(externalNode(infra, dirA, "admin", portC, dirC));
        envC.put("PAYRAIL_MANAGEMENT_PORT", String.valueOf(managementC));
        Process c = servers.start("node-c", envC);
        Http httpB = new Http(portB);
        Http httpC = new Http(portC);
        awaitHealthy(httpB, b);
        awaitHealthy(httpC, c);

        // One key, first on B, then on A: A replays B's answer byte for byte.
        String key = "cross-node-" + UUID.randomUUID();
        HttpResponse<String> onB = httpB.createPayment("/v1/payments", key, Http.SEED_BODY);
        HttpResponse<String> onA = httpA.createPayment("/v1/payments", key, Http.SEED_BODY);
        assertThat(onB.statusCode()).isEqualTo(201);
        assertThat(onA.statusCode()).isEqualTo(201);
        assertThat(onA.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(onA.body()).isEqualTo(onB.body());

        // One key, hammered on both nodes at once: one payment.
        String raced = "raced-" + UUID.randomUUID();
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(32)) {
            for (int i = 0; i < 100; i++) {
                Http node = i % 2 == 0 ? httpA : httpB;
                answers.add(pool.submit(() -> node.createPayment("/v1/payments", raced, Http.SEED_BODY)));
            }
        }
        Set<String> ids = new HashSet<>();
        for (var answer : answers) {
            assertThat(answer.get().statusCode()).isEqualTo(201);
            ids.add(Json.parse(answer.get().body()).get("payment_id").asString());
        }
        assertThat(ids).hasSize(1);

        // Many payments through B; two relays (A's and B's) publish them all, each its own share.
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            created.add(paymentThrough(httpB));
        }
        // Each relay takes whatever is waiting when it looks; one payment at a time, both soon get some.
        await("both relays published").atMost(Duration.ofSeconds(60)).pollInSameThread()
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (published(httpA) > 0 && published(httpB) > 0) {
                        return true;
                    }
                    created.add(paymentThrough(httpB));
                    return false;
                });
        assertThat(ServerProcesses.keysOnPaymentsTopic(infra, created))
                .containsAll(created);
        try (Connection db = ServerProcesses.database(dirA)) {
            assertThat(count(db, "select count(*) from outbox where event_type = 'payment.created'"))
                    .as("every payment's one creation event").isEqualTo(created.size() + 2);
            // Processing (on node A) adds each payment's final event meanwhile; once all are out, every event was
            // counted by exactly one of the two relays.
            await("every event counted by the relay that published it").atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> {
                        assertThat(count(db, "select count(*) from outbox where published_at is null")).isZero();
                        assertThat(published(httpA) + published(httpB))
                                .isEqualTo(count(db, "select count(*) from outbox"));
                    });
        }

        // B runs only what it was told to, and started nothing embedded.
        String merchant = "{\"webhook_url\":\"https://x.example/h\",\"api_secret\":\"s\"}";
        var adminHeaders = Map.of("Authorization", "Bearer dev-admin", "Content-Type", "application/json");
        HttpResponse<String> admin = httpB.post("/admin-api/merchants", adminHeaders, merchant);
        assertThat(admin.statusCode()).isEqualTo(404);
        assertThat(Files.exists(dirB)).isFalse();

        // C runs the admin API but, with no token configured, not even the embedded default is accepted.
        HttpResponse<String> noToken = httpC.post("/admin-api/merchants", adminHeaders, merchant);
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(noToken.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(Json.parse(noToken.body()).get("code").asString()).isEqualTo("admin_token_not_configured");
        try (Connection db = ServerProcesses.database(dirA)) {
            assertThat(count(db, "select count(*) from merchants")).as("the demo merchant only").isEqualTo(1);
        }
        assertThat(Files.exists(dirC)).isFalse();

        // Outside embedded mode the OpenAPI description and Swagger UI are off unless asked for ...
        assertThat(httpC.get("/v3/api-docs", Map.of()).statusCode()).isEqualTo(404);
        assertThat(httpC.get("/swagger-ui/index.html", Map.of()).statusCode()).isEqualTo(404);
        assertThat(httpA.get("/v3/api-docs", Map.of()).statusCode()).as("embedded: on").isEqualTo(200);
        // ... and PAYRAIL_MANAGEMENT_PORT moves Prometheus and the probes off the API's port.
        Http managementOfC = new Http(managementC);
        assertThat(managementOfC.get("/actuator/prometheus", Map.of()).statusCode()).isEqualTo(200);
        // readiness comes after every start-up runner, a moment after /health on a busy machine
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                managementOfC.get("/actuator/health/readiness", Map.of()).statusCode()).isEqualTo(200));
        assertThat(managementOfC.get("/actuator/env", Map.of()).statusCode()).isEqualTo(404);
        assertThat(httpC.get("/actuator/prometheus", Map.of()).statusCode()).isEqualTo(404);
        assertThat(httpC.get("/health", Map.of()).statusCode()).as("the prototype's check stays").isEqualTo(200);
    }

    private static String paymentThrough(Http node) {
        HttpResponse<String> response = node.createPayment("/v1/payments", null, Http.SEED_BODY);
        assertThat(response.statusCode()).isEqualTo(201);
        return Json.parse(response.body()).get("payment_id").asString();
    }

    /** What a node's relay counted as published ({@code payrail_outbox_published_total}). */
    private static long published(Http node) {
        return (long) Metrics.scrape(node, "payrail_outbox_published_total");
    }

    private static long count(Connection db, String sql) throws SQLException {
        try (var rows = db.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The environment of a node on A's servers as external infrastructure, with A's credentials and master key. */
    private static Map<String, String> externalNode(Properties infra, Path dirA, String roles, int port, Path dataDir)
            throws java.io.IOException {
        return Map.of(
                "PAYRAIL_DB_URL", infra.getProperty("PAYRAIL_EMBEDDED_DB_URL"),
                "PAYRAIL_DB_USER", infra.getProperty("PGUSER"),
                "PAYRAIL_DB_PASSWORD", infra.getProperty("PGPASSWORD"),
                "PAYRAIL_KAFKA_BOOTSTRAP", infra.getProperty("PAYRAIL_EMBEDDED_KAFKA_BOOTSTRAP"),
                "PAYRAIL_KAFKA_USER", infra.getProperty("PAYRAIL_EMBEDDED_KAFKA_USER"),
                "PAYRAIL_KAFKA_PASSWORD", infra.getProperty("PAYRAIL_EMBEDDED_KAFKA_PASSWORD"),
                "PAYRAIL_MASTER_KEY", Files.readString(dirA.resolve("secrets/master.key")).trim(),
                "PAYRAIL_ROLES", roles,
                "PAYRAIL_HTTP_PORT", String.valueOf(port),
                "PAYRAIL_DATA_DIR", dataDir.toString());
    }
}