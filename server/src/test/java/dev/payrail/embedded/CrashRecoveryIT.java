package dev.payrail.embedded;

import static dev.payrail.support.ServerProcesses.awaitHealthy;
import static dev.payrail.support.ServerProcesses.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import dev.payrail.support.Http;
import dev.payrail.support.Json;
import dev.payrail.support.ServerProcesses;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the packaged server as a separate process, as a user would, and kills it with SIGKILL: nothing that
 * was acknowledged may be lost, and the embedded infrastructure must come back by itself.
 */
class CrashRecoveryIT {

    private final ServerProcesses servers = new ServerProcesses();
    private final Path dataDir = ServerProcesses.freshDataDir("crash");

    @AfterEach
    void stopAll() throws InterruptedException {
        servers.close();
    }

    private Process start(Path dir, int port, String roles, String name) {
        return servers.start(name, Map.of(),
                "--payrail.data.dir=" + dir, "--payrail.http.port=" + port, "--payrail.roles=" + roles);
    }

    /** Starts the server on {@link #dataDir} and waits until {@code /health} answers. */
    private Process startHealthy(Http http, int port, String roles, String name) throws InterruptedException {
        Process process = start(dataDir, port, roles, name);
        awaitHealthy(http, process);
        return process;
    }

    @Test
    void paymentAcceptedBeforeKillDashNineIsThereAfterRestartAndItsEventReachesKafka() throws Exception {
        int port = freePort();
        // First life without the relay, so the event cannot have left the outbox before the kill.
        Http http = new Http(port);
        Process first = startHealthy(http, port, "api,admin", "crash-first");
        HttpResponse<String> created = http.createPayment("/v1/payments", "crash-" + UUID.randomUUID(), Http.SEED_BODY);
        assertThat(created.statusCode()).isEqualTo(201);
        String paymentId = Json.parse(created.body()).get("payment_id").asString();

        first.destroyForcibly(); // SIGKILL: no shutdown hooks, no clean stop of PostgreSQL or Kafka
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

        startHealthy(http, port, "api,relay,admin", "crash-second");
        HttpResponse<String> after = http.get("/v1/payments/" + paymentId, Map.of("X-API-Key", Http.DEMO_KEY));
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(Json.parse(after.body()).get("payment_id").asString()).isEqualTo(paymentId);

        Properties infra = ServerProcesses.embeddedEnv(dataDir);
        assertThat(ServerProcesses.keysOnPaymentsTopic(infra, List.of(paymentId))).contains(paymentId);
    }

    @Test
    void killDashNineUnderLoadLosesNoAcknowledgedPayment() throws Exception {
        int port = freePort();
        Http http = new Http(port);
        Process server = startHealthy(http, port, "api,relay,admin", "load-kill-first");

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            int client = c;
            clients.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; !stop.get(); i++) {
                    try {
                        HttpResponse<String> r = http.createPayment("/v1/payments", "load-" + client + "-" + i, Http.SEED_BODY);
                        if (r.statusCode() == 201) {
                            acknowledged.add(Json.parse(r.body()).get("payment_id").asString());
                        }
                    } catch (RuntimeException connectionLost) {
                        return;
                    }
                }
            }));
        }
        Thread.sleep(4000);
        server.destroyForcibly(); // SIGKILL while requests are in flight
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        stop.set(true);
        for (Thread t : clients) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(acknowledged).as("payments acknowledged before the kill").isNotEmpty();

        startHealthy(http, port, "api,relay,admin", "load-kill-second");
        Properties infra = ServerProcesses.embeddedEnv(dataDir);
        try (Connection db = DriverManager.getConnection(infra.getProperty("PAYRAIL_EMBEDDED_DB_URL"),
                infra.getProperty("PGUSER"), infra.getProperty("PGPASSWORD"));
             var rows = db.createStatement().executeQuery("select payment_id::text from payments")) {
            Set<String> stored = new HashSet<>();
            while (rows.next()) {
                stored.add(rows.getString(1));
            }
            assertThat(stored).as("all %d payments acknowledged before the kill", acknowledged.size())
                    .containsAll(acknowledged);
        }
    }

    @Test
    void secondStartOnALockedDataDirOrATakenPortFailsWithOneLine() throws Exception {
        int port = freePort();
        startHealthy(new Http(port), port, "api,relay,admin", "lock-running");

        Process sameDir = start(dataDir, freePort(), "api", "lock-same-dir");
        assertThat(sameDir.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(sameDir.exitValue()).isEqualTo(2);
        assertThat(servers.output("lock-same-dir")).hasSize(1).first().asString()
                .contains("is in use by another Payrail process");

        Process samePort = start(ServerProcesses.freshDataDir("port"), port, "api", "lock-same-port");
        assertThat(samePort.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(samePort.exitValue()).isEqualTo(2);
        assertThat(servers.output("lock-same-port")).hasSize(1).first().asString()
                .contains("port " + port + " ").contains("already in use");

        Process badRole = start(ServerProcesses.freshDataDir("role"), freePort(), "api,payments", "bad-role");
        assertThat(badRole.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(badRole.exitValue()).isEqualTo(2);
        assertThat(servers.output("bad-role")).hasSize(1).first().asString().contains("unknown role 'payments'");
    }
}
