package dev.payrail.processing;

import static dev.payrail.support.ServerProcesses.awaitHealthy;
import static dev.payrail.support.ServerProcesses.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.payrail.support.EmbeddedPostgresProcess;
import dev.payrail.support.Http;
import dev.payrail.support.Json;
import dev.payrail.support.ServerProcesses;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The crash line of processing: the packaged server (every role, its own simulators) is killed with SIGKILL while
 * 1,000 payments across every test card are in flight — {@code beta} slowed down, the unknown-outcome card among
 * them — and started again. Then every payment ends final and as its card says, no payment has two approved
 * attempts, and every approval in Payrail is exactly one approval in the simulators' books and vice versa.
 */
class ProcessingCrashIT {

    private static final int PAYMENTS = 1_000;
    private static final int CLIENTS = 16;

    private final ServerProcesses servers = new ServerProcesses();
    private final Path dataDir = ServerProcesses.freshDataDir("processing-crash");

    @AfterEach
    void stopAll() throws InterruptedException {
        servers.close();
        EmbeddedPostgresProcess.stopIfLeftRunning(dataDir);
    }

    private Process start(int port, String name) {
        return servers.start(name, Map.of(), "--payrail.data.dir=" + dataDir, "--payrail.http.port=" + port,
                // Quick reconciliation after the restart. A "never received" may be believed 10 s after an
                // attempt here: after a kill nothing of the first life is still on its way.
                "--payrail.processing.stale-after=3s", "--payrail.processing.janitor=500ms",
                "--payrail.processing.not-found-after=10s",
                // Late answers and the kill make many calls fail at once; open circuits would spread payments over
                // acquirers at random, and the card table below assumes each acquirer is asked.
                "--payrail.acquirers.alpha.circuit-minimum-calls=10000", "--payrail.acquirers.alpha.circuit-window-calls=10000",
                "--payrail.acquirers.beta.circuit-minimum-calls=10000", "--payrail.acquirers.beta.circuit-window-calls=10000",
                "--payrail.acquirers.gamma.circuit-minimum-calls=10000", "--payrail.acquirers.gamma.circuit-window-calls=10000");
    }

    @Test
    void killDashNineWithAThousandPaymentsInFlightLeavesEveryPaymentFinalAndTheBooksInAgreement() throws Exception {
        int port = freePort();
        Http http = new Http(port);
        Process first = start(port, "processing-crash-first");
        awaitHealthy(http, first);
        put(port, "/simulators/acquirers/beta/knobs", "{\"latency_mean_ms\":400,\"latency_spread_ms\":200}");

        String run = "crash-" + UUID.randomUUID();
        Map<UUID, TestCards> acknowledged = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        var clients = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            clients.submit(() -> {
                for (int i = next.getAndIncrement(); i < PAYMENTS; i = next.getAndIncrement()) {
                    TestCards card = TestCards.TABLE.get(i % TestCards.TABLE.size());
                    try {
                        HttpResponse<String> answer = http.createPayment("/v1/payments", run + "-" + i,
                                card.paymentBody(run));
                        if (answer.statusCode() == 201) {
                            acknowledged.put(UUID.fromString(Json.parse(answer.body()).get("payment_id").asString()), card);
                        }
                    } catch (UncheckedIOException killed) {
                        return;
                    }
                }
            });
        }
        // Kill once most payments are in, while many are still being processed (beta is slow, late cards wait).
        await("payments acknowledged").atMost(Duration.ofMinutes(3)).until(() -> acknowledged.size() >= PAYMENTS * 8 / 10);
        long processingAtKill;
        try (Connection connection = ServerProcesses.database(dataDir)) {
            processingAtKill = jdbc(connection).sql("select count(*) from payments where order_id = ? and status = 'processing'")
                    .param(run).query(Long.class).single();
        }
        first.destroyForcibly(); // SIGKILL: no shutdown hooks, no clean stop of PostgreSQL, Kafka or the simulators
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        clients.shutdown();
        assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(processingAtKill).as("payments still processing at the kill").isPositive();

        Process second = start(port, "processing-crash-second");
        awaitHealthy(http, second);
        put(port, "/simulators/acquirers/beta/knobs", "{\"latency_mean_ms\":400,\"latency_spread_ms\":200}");

        try (Connection connection = ServerProcesses.database(dataDir)) {
            JdbcClient db = jdbc(connection);
            await("every payment final").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> db.sql("select count(*) from payments where order_id = ? and status = 'processing'")
                            .param(run).query(Long.class).single() == 0);

            Map<UUID, String> ended = new HashMap<>();
            db.sql("select payment_id, status || coalesce('/' || decline_code, '') from payments where order_id = ?")
                    .param(run).query(rs -> {
                        ended.put(rs.getObject(1, UUID.class), rs.getString(2));
                    });
            assertThat(ended.keySet()).containsAll(acknowledged.keySet());
            List<String> wrong = new ArrayList<>();
            acknowledged.forEach((id, card) -> {
                String expected = card.status() + (card.declineCode() == null ? "" : "/" + card.declineCode());
                // A card that declines only after every acquirer was tried (a soft decline each time) may end with
                // the code of a call the kill cut short, when that was the last acquirer's.
                boolean cutShort = card.declineCode() != null && card.tried().size() == TestCards.TABLE.stream()
                        .mapToInt(c -> c.tried().size()).max().orElseThrow()
                        && List.of("declined/not_received", "declined/abandoned").contains(ended.get(id));
                if (!expected.equals(ended.get(id)) && !cutShort) {
                    wrong.add(id + " (" + card.card() + "): " + ended.get(id) + ", expected " + expected);
                }
            });
            assertThat(wrong).as("payments that did not end as their card says").isEmpty();
            assertThat(Reconciliation.of(db::sql, run).mismatches()).isEmpty();
        }
    }

    private static JdbcClient jdbc(Connection connection) {
        return JdbcClient.create(new SingleConnectionDataSource(connection, true));
    }

    private static void put(int port, String path, String body) throws Exception {
        try (var client = java.net.http.HttpClient.newHttpClient()) {
            var answer = client.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + port + path))
                    .header("Content-Type", "application/json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        }
    }
}
