package dev.payrail.webhook;

import static dev.payrail.support.ServerProcesses.awaitHealthy;
import static dev.payrail.support.ServerProcesses.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.payrail.support.EmbeddedPostgresProcess;
import dev.payrail.support.Http;
import dev.payrail.support.Json;
import dev.payrail.support.ServerProcesses;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code kill -9} of the sending node mid-batch loses no delivery: the packaged server runs as a separate
 * process and sends to a slow receiver in this JVM; it is killed while deliveries are in flight, started again on
 * the same data, and every event reaches the receiver (some twice, with the same {@code webhook-id}: at least once).
 */
class WebhookCrashIT {

    private static final int PAYMENTS = 40;
    private static final String CARD_PAYMENT = """
            {"amount":700,"currency":"EUR","order_id":"webhook-crash",
             "payment_method":{"type":"card","number":"4242424242424242","exp_month":12,"exp_year":2031,"cvc":"123"}}""";

    private final ServerProcesses servers = new ServerProcesses();
    private final Path dataDir = ServerProcesses.freshDataDir("webhook-crash");
    private final Map<String, AtomicInteger> receivedById = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer receiver;

    @AfterEach
    void stopAll() throws InterruptedException {
        servers.close();
        EmbeddedPostgresProcess.stopIfLeftRunning(dataDir);
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void killDashNineOfTheSenderMidBatchLosesNoDelivery() throws Exception {
        startReceiver();
        int port = freePort();
        Http http = new Http(port);
        Process first = start(port, "webhook-crash-first");
        awaitHealthy(http, first);

        HttpResponse<String> created = http.post("/admin-api/merchants", WebhooksIT.ADMIN,
                "{\"webhook_url\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\",\"api_secret\":\"s\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode merchant = Json.parse(created.body());
        String apiKey = merchant.get("api_key").asString();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < PAYMENTS; i++) {
                answers.add(pool.submit(() -> http.post("/v1/payments", Map.of("X-API-Key", apiKey, "Content-Type",
                        "application/json", "Idempotency-Key", "crash-" + UUID.randomUUID()), CARD_PAYMENT).statusCode()));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get()).isEqualTo(201);
            }
        }

        // Mid-batch: some deliveries have reached the receiver, most have not, a few are on the wire.
        await().atMost(Duration.ofSeconds(120)).until(() -> requests.get() >= 4);
        first.destroyForcibly(); // SIGKILL: no shutdown hooks, nothing recorded for the requests in flight
        first.waitFor();
        int beforeKill = receivedById.size();
        assertThat(beforeKill).as("killed mid-batch").isLessThan(PAYMENTS);

        Process second = start(port, "webhook-crash-second");
        awaitHealthy(http, second);
        await().atMost(Duration.ofSeconds(180)).until(() -> receivedById.size() == PAYMENTS);
        String endpoint = merchant.get("webhook_endpoint_id").asString();
        String deliveries = "/admin-api/merchants/" + merchant.get("id").asString() + "/webhook-endpoints/" + endpoint
                + "/deliveries?limit=1000&status=";
        await().atMost(Duration.ofSeconds(60)).until(() ->
                Json.parse(http.get(deliveries + "delivered", WebhooksIT.ADMIN).body()).get("data").size() == PAYMENTS);
        assertThat(Json.parse(http.get(deliveries + "pending", WebhooksIT.ADMIN).body()).get("data")).isEmpty();
        assertThat(Json.parse(http.get(deliveries + "dead", WebhooksIT.ADMIN).body()).get("data")).isEmpty();
    }

    private Process start(int port, String name) {
        return servers.start(name, Map.of(), "--payrail.data.dir=" + dataDir, "--payrail.http.port=" + port,
                "--payrail.webhooks.timeout=3s", "--payrail.webhooks.connect-timeout=1s",
                "--payrail.webhooks.lease=6s", "--payrail.webhooks.per-endpoint-max=2",
                "--payrail.webhooks.schedule=0s,1s,1s,2s,2s,3s,3s,5s,5s,10s");
    }

    /** Answers 200 after 400 ms and counts each webhook-id: slow enough that a batch is still in flight at the kill. */
    private void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/hook", exchange -> {
            requests.incrementAndGet();
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            try {
                Thread.sleep(400);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            if (id != null) {
                receivedById.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
    }
}
