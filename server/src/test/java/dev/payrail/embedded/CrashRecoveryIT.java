package dev.payrail.embedded;

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Runs the packaged server as a separate process, as a user would, and kills it with SIGKILL: nothing that
 * was acknowledged may be lost, and the embedded infrastructure must come back by itself.
 */
class CrashRecoveryIT {

    private static final int CLIENTS = 16;
    private static final int ACKNOWLEDGED_BEFORE_KILL = 500;
    private static final List<String> CURRENCIES = List.of("USD", "EUR", "JPY");
    private static final String CARD_PAYMENT = """
            {"amount":2500,"currency":"EUR","order_id":"card-before-kill",
             "payment_method":{"type":"card","number":"4242424242424242","exp_month":12,"exp_year":2031,"cvc":"123"}}""";

    private final ServerProcesses servers = new ServerProcesses();
    private final Path dataDir = ServerProcesses.freshDataDir("crash");

    @AfterEach
    void stopAll() throws InterruptedException {
        servers.close();
        EmbeddedPostgresProcess.stopIfLeftRunning(dataDir); // a test that failed between kill and restart
    }

    private Process start(Path dir, int port, String roles, String name) {
        return servers.start(name, Map.of(),
                "--payrail.data.dir=" + dir, "--payrail.http.port=" + port, "--payrail.roles=" + roles);
    }

    /** Starts the server on {@link #dataDir} and waits until {@code /health} answers. */
    private Process startHealthy(Http http, int port, String roles, String name) {
        Process process = start(dataDir, port, roles, name);
        awaitHealthy(http, process);
        return process;
    }

    @Test
    void paymentAcceptedBeforeKillDashNineIsThereAfterRestartWithTheSameCardFingerprintAndItsEventReachesKafka()
            throws Exception {
        int port = freePort();
        // First life without the relay, so the event cannot have left the outbox before the kill.
        Http http = new Http(port);
        Process first = startHealthy(http, port, "api,admin", "crash-first");
        HttpResponse<String> created = http.createPayment("/v1/payments", "crash-" + UUID.randomUUID(), CARD_PAYMENT);
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode payment = Json.parse(created.body());
        String paymentId = payment.get("payment_id").asString();

        first.destroyForcibly(); // SIGKILL: no shutdown hooks, no clean stop of PostgreSQL or Kafka
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

        startHealthy(http, port, "api,relay,admin", "crash-second");
        HttpResponse<String> after = http.get("/v1/payments/" + paymentId, Map.of("X-API-Key", Http.DEMO_KEY));
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(Json.parse(after.body())).isEqualTo(payment);
        // The master key generated into the data dir in the first life keys the fingerprints of the second.
        HttpResponse<String> sameCard = http.createPayment("/v1/payments", "crash-" + UUID.randomUUID(), CARD_PAYMENT);
        assertThat(sameCard.statusCode()).isEqualTo(201);
        String fingerprint = payment.get("payment_method").get("fingerprint").asString();
        assertThat(Json.parse(sameCard.body()).get("payment_method").get("fingerprint").asString())
                .isEqualTo(fingerprint);

        String secondId = Json.parse(sameCard.body()).get("payment_id").asString();
        Properties infra = ServerProcesses.embeddedEnv(dataDir);
        assertThat(ServerProcesses.keysOnPaymentsTopic(infra, List.of(paymentId, secondId)))
                .containsExactlyInAnyOrder(paymentId, secondId);
    }

    /** A payment as the client sent it, or as the server acknowledged it, or as it is stored: the same fields. */
    private record PaymentFields(String paymentId, long amount, String currency, String orderId,
                                 String idempotencyKey) {

        static PaymentFields of(JsonNode payment) {
            return new PaymentFields(payment.get("payment_id").asString(), payment.get("amount").asLong(),
                    payment.get("currency").asString(), payment.get("order_id").asString(),
                    payment.get("idempotency_key").asString());
        }
    }

    /** A stored payment and how many of its companion rows exist: exactly one of each, or it is half-written. */
    private record StoredPayment(PaymentFields fields, String eventId, long events, long keys) {}

    @Test
    void killDashNineUnderLoadLosesNoAcknowledgedPaymentAndLeavesNoneHalfWritten() throws Exception {
        int port = freePort();
        Http http = new Http(port);
        Process server = startHealthy(http, port, "api,relay,admin", "load-kill-first");

        Map<String, PaymentFields> sent = new ConcurrentHashMap<>(); // by idempotency key, payment id unknown
        Map<String, PaymentFields> acknowledged = new ConcurrentHashMap<>(); // by idempotency key, the 201 body
        AtomicBoolean killed = new AtomicBoolean();
        List<Future<?>> clients = new ArrayList<>();
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(pool.submit(() -> sendUntilTheServerIsGone(http, client, sent, acknowledged, killed)));
            }
            await("payments acknowledged under load").atMost(Duration.ofSeconds(120))
                    .failFast("a client failed before the kill",
                            () -> clients.forEach(CrashRecoveryIT::requireNoFailure))
                    .until(() -> acknowledged.size() >= ACKNOWLEDGED_BEFORE_KILL);
        } finally {
            killed.set(true);
            server.destroyForcibly(); // SIGKILL while requests are in flight
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            pool.close(); // each client ends when it loses its connection
        }
        AssertionError clientFailures = new AssertionError("client threads failed");
        for (Future<?> client : clients) {
            try {
                requireNoFailure(client);
            } catch (AssertionError failed) {
                clientFailures.addSuppressed(failed.getCause());
            }
        }
        if (clientFailures.getSuppressed().length > 0) {
            throw clientFailures;
        }

        startHealthy(http, port, "api,relay,admin", "load-kill-second");
        Map<String, StoredPayment> stored = storedLoadPayments();

        // Every acknowledged payment, exactly as acknowledged.
        Map<String, PaymentFields> storedFields = new HashMap<>();
        stored.forEach((key, payment) -> storedFields.put(key, payment.fields()));
        assertThat(storedFields).as("all %d payments acknowledged before the kill", acknowledged.size())
                .containsAllEntriesOf(acknowledged);
        // The others were in flight at the kill: absent, or stored as sent and complete.
        assertThat(sent.keySet()).containsAll(stored.keySet());
        stored.forEach((key, payment) -> assertThat(payment.fields()).as("payment %s", key)
                .usingRecursiveComparison().ignoringFields("paymentId").isEqualTo(sent.get(key)));
        assertThat(stored.values()).as("payments without their one event or idempotency record")
                .filteredOn(p -> p.events() != 1 || p.keys() != 1).isEmpty();
        assertThat(orphans()).as("idempotency records or events without their payment").isEmpty();

        // And every stored payment's payment.created event reached Kafka, with the outbox's event id.
        Map<String, String> eventIdByPayment = new HashMap<>();
        stored.values().forEach(p -> eventIdByPayment.put(p.fields().paymentId(), p.eventId()));
        Properties infra = ServerProcesses.embeddedEnv(dataDir);
        Map<String, Set<String>> eventsOnKafka = new HashMap<>();
        for (var record : ServerProcesses.recordsOnPaymentsTopic(infra, eventIdByPayment.keySet())) {
            JsonNode event = Json.parse(record.value());
            assertThat(event.get("event_type").asString()).isEqualTo("payment.created");
            assertThat(event.get("data").get("payment_id").asString()).isEqualTo(record.key());
            eventsOnKafka.computeIfAbsent(record.key(), k -> new HashSet<>()).add(event.get("event_id").asString());
        }
        Map<String, Set<String>> expectedEvents = new HashMap<>();
        eventIdByPayment.forEach((payment, eventId) -> expectedEvents.put(payment, Set.of(eventId)));
        assertThat(eventsOnKafka).isEqualTo(expectedEvents);
    }

    /**
     * One client of the load: payments with distinct keys and bodies until the server is killed. The only
     * failure it accepts is losing the connection after the kill; anything else ends it with an exception.
     */
    private static Void sendUntilTheServerIsGone(Http http, int client, Map<String, PaymentFields> sent,
                                                 Map<String, PaymentFields> acknowledged, AtomicBoolean killed) {
        for (int i = 0; ; i++) {
            String key = "load-" + client + "-" + i;
            var request = new PaymentFields(null, 1 + client * 1_000_000L + i, CURRENCIES.get(i % CURRENCIES.size()),
                    "order-" + client + "-" + i, key);
            sent.put(key, request);
            HttpResponse<String> response;
            try {
                response = http.createPayment("/v1/payments", key, """
                        {"amount":%d,"currency":"%s","order_id":"%s"}"""
                        .formatted(request.amount(), request.currency(), request.orderId()));
            } catch (UncheckedIOException connectionLost) {
                if (killed.get()) {
                    return null;
                }
                throw connectionLost;
            }
            if (response.statusCode() != 201) {
                throw new AssertionError("client " + client + ", key " + key + ": " + response.statusCode() + " "
                        + response.body());
            }
            PaymentFields answer = PaymentFields.of(Json.parse(response.body()));
            assertThat(answer).usingRecursiveComparison().ignoringFields("paymentId").isEqualTo(request);
            acknowledged.put(key, answer);
        }
    }

    private static void requireNoFailure(Future<?> client) {
        if (client.state() == Future.State.FAILED) {
            throw new AssertionError("a client thread failed", client.exceptionNow());
        }
    }

    private Map<String, StoredPayment> storedLoadPayments() throws Exception {
        Map<String, StoredPayment> stored = new HashMap<>();
        try (Connection db = ServerProcesses.database(dataDir);
             var rows = db.createStatement().executeQuery("""
                     select p.payment_id::text, p.amount, p.currency, p.order_id, p.idempotency_key,
                            (select min(o.event_id::text) from outbox o
                              where o.aggregate_id = p.payment_id and o.event_type = 'payment.created'),
                            (select count(*) from outbox o
                              where o.aggregate_id = p.payment_id and o.event_type = 'payment.created'),
                            (select count(*) from idempotency_keys k where k.merchant_id = p.merchant_id
                              and k.idempotency_key = p.idempotency_key and k.resource_id = p.payment_id)
                     from payments p where p.idempotency_key like 'load-%'""")) {
            while (rows.next()) {
                var fields = new PaymentFields(rows.getString(1), rows.getLong(2), rows.getString(3),
                        rows.getString(4), rows.getString(5));
                stored.put(fields.idempotencyKey(),
                        new StoredPayment(fields, rows.getString(6), rows.getLong(7), rows.getLong(8)));
            }
        }
        return stored;
    }

    private List<String> orphans() throws Exception {
        List<String> orphans = new ArrayList<>();
        try (Connection db = ServerProcesses.database(dataDir);
             var rows = db.createStatement().executeQuery("""
                     select 'idempotency key ' || k.idempotency_key from idempotency_keys k
                      where not exists (select 1 from payments p where p.payment_id = k.resource_id)
                     union all
                     select 'event ' || o.event_id from outbox o
                      where not exists (select 1 from payments p where p.payment_id = o.aggregate_id)""")) {
            while (rows.next()) {
                orphans.add(rows.getString(1));
            }
        }
        return orphans;
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
