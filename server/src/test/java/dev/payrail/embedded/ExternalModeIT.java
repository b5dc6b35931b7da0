package dev.payrail.embedded;

import static dev.payrail.support.ServerProcesses.awaitHealthy;
import static dev.payrail.support.ServerProcesses.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import dev.payrail.support.Http;
import dev.payrail.support.Json;
import dev.payrail.support.ServerProcesses;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Two nodes, as in a distributed deployment: node A runs embedded (it owns PostgreSQL and Kafka), node B is
 * pointed at A's servers through PAYRAIL_DB_URL / PAYRAIL_KAFKA_BOOTSTRAP with roles {@code api,relay} only.
 * Idempotency must hold across nodes, and both relays must share the outbox without losing events.
 */
class ExternalModeIT {

    private final ServerProcesses servers = new ServerProcesses();

    @AfterEach
    void stopAll() throws InterruptedException {
        servers.close();
    }

    @Test
    void aSecondNodeOnExternalInfrastructureSharesIdempotencyAndTheOutbox() throws Exception {
        Path dirA = ServerProcesses.freshDataDir("node-a");
        Path dirB = ServerProcesses.freshDataDir("node-b");
        int portA = freePort();
        int portB = freePort();
        Process a = servers.start("node-a", Map.of(), "--payrail.data.dir=" + dirA, "--payrail.http.port=" + portA);
        Http httpA = new Http(portA);
        awaitHealthy(httpA, a);

        Properties infra = ServerProcesses.embeddedEnv(dirA);
        Process b = servers.start("node-b", Map.of(
                "PAYRAIL_DB_URL", infra.getProperty("PAYRAIL_EMBEDDED_DB_URL"),
                "PAYRAIL_DB_USER", infra.getProperty("PGUSER"),
                "PAYRAIL_DB_PASSWORD", infra.getProperty("PGPASSWORD"),
                "PAYRAIL_KAFKA_BOOTSTRAP", infra.getProperty("PAYRAIL_EMBEDDED_KAFKA_BOOTSTRAP"),
                "PAYRAIL_KAFKA_USER", infra.getProperty("PAYRAIL_EMBEDDED_KAFKA_USER"),
                "PAYRAIL_KAFKA_PASSWORD", infra.getProperty("PAYRAIL_EMBEDDED_KAFKA_PASSWORD"),
                "PAYRAIL_MASTER_KEY", Files.readString(dirA.resolve("secrets/master.key")).trim(),
                "PAYRAIL_ROLES", "api,relay",
                "PAYRAIL_HTTP_PORT", String.valueOf(portB),
                "PAYRAIL_DATA_DIR", dirB.toString()));
        Http httpB = new Http(portB);
        awaitHealthy(httpB, b);

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

        // Many payments through B; two relays (A's and B's) publish them all.
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            created.add(Json.parse(httpB.createPayment("/v1/payments", null, Http.SEED_BODY).body())
                    .get("payment_id").asString());
        }
        assertThat(ServerProcesses.keysOnPaymentsTopic(infra, created))
                .containsAll(created);

        // B runs only what it was told to, and started nothing embedded.
        HttpResponse<String> admin = httpB.post("/admin-api/merchants",
                Map.of("Authorization", "Bearer dev-admin", "Content-Type", "application/json"),
                "{\"webhook_url\":\"https://x.example/h\",\"api_secret\":\"s\"}");
        assertThat(admin.statusCode()).isEqualTo(404);
        assertThat(Files.exists(dirB)).isFalse();
    }
}
