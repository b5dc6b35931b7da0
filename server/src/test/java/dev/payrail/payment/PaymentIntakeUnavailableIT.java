package dev.payrail.payment;

import static dev.payrail.support.Http.SEED_BODY;
import static dev.payrail.support.ServerProcesses.awaitHealthy;
import static dev.payrail.support.ServerProcesses.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.payrail.support.EmbeddedPostgresProcess;
import dev.payrail.support.Http;
import dev.payrail.support.Json;
import dev.payrail.support.Metrics;
import dev.payrail.support.ServerProcesses;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The intake's {@code 503 temporarily_unavailable}, provoked on the packaged server with a real database that
 * stops answering: frozen with SIGSTOP, or blocked by a table lock until the writer queue is full.
 */
class PaymentIntakeUnavailableIT {

    /** The writer's queue capacity ({@code PAYRAIL_WRITER_QUEUE}, small here): requests beyond it are refused. */
    private static final int WRITER_QUEUE_CAPACITY = 300;
    private static final int WRITER_THREADS = 2;

    private final ServerProcesses servers = new ServerProcesses();
    private final Path dataDir = ServerProcesses.freshDataDir("unavailable");

    @AfterEach
    void stopAll() throws InterruptedException {
        servers.close();
        EmbeddedPostgresProcess.stopIfLeftRunning(dataDir);
    }

    private Http startHealthy(String name, String writerTimeout) {
        int port = freePort();
        Http http = new Http(port);
        Process server = servers.start(name, Map.of(
                        "PAYRAIL_WRITER_TIMEOUT", writerTimeout,
                        "PAYRAIL_WRITER_THREADS", String.valueOf(WRITER_THREADS),
                        "PAYRAIL_WRITER_QUEUE", String.valueOf(WRITER_QUEUE_CAPACITY)),
                "--payrail.data.dir=" + dataDir, "--payrail.http.port=" + port);
        awaitHealthy(http, server);
        return http;
    }

    @Test
    void aPaymentIsRefusedWith503WhileTheDatabaseHangsAndTheSameKeyCreatesItOnceWhenItAnswersAgain()
            throws Exception {
        Http http = startHealthy("db-frozen", "2s");
        // The demo key is now in the API-key cache (30 s), so the frozen database is met by the writer.
        assertThat(http.createPayment("/v1/payments", "warm-up-" + UUID.randomUUID(), SEED_BODY).statusCode())
                .isEqualTo(201);
        String key = "frozen-db-" + UUID.randomUUID();

        HttpResponse<String> refused;
        try (var frozen = EmbeddedPostgresProcess.freeze(dataDir)) {
            refused = http.createPayment("/v1/payments", key, SEED_BODY);
        }

        assertProblem(refused, 503, "temporarily_unavailable");
        // The refused request may still have committed once PostgreSQL resumed: then the retry is a replay.
        HttpResponse<String> retried = await("retry with the same key").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> http.createPayment("/v1/payments", key, SEED_BODY), r -> r.statusCode() == 201);
        String paymentId = Json.parse(retried.body()).get("payment_id").asString();
        try (Connection db = ServerProcesses.database(dataDir)) {
            assertThat(paymentIdsForKey(db, key)).containsExactly(paymentId);
            assertThat(count(db, "select count(*) from idempotency_keys where idempotency_key = ?", key)).isEqualTo(1);
            assertThat(count(db, "select count(*) from outbox where aggregate_id = ?::uuid and event_type = 'payment.created'", paymentId)).isEqualTo(1);
        }
    }

    @Test
    void whenTheWriterQueueIsFullTheNextPaymentIsRefusedWith503AndNeverWritten() throws Exception {
        // The shortest timeout answers every request soon, while its payment stays queued for the writers.
        Http http = startHealthy("writer-full", "100ms");
        String queued = "queued-" + UUID.randomUUID() + "-";
        String refusedKey = "refused-" + UUID.randomUUID();
        try (Connection lock = ServerProcesses.database(dataDir);
             Connection observer = ServerProcesses.database(dataDir)) {
            lock.setAutoCommit(false);
            lock.createStatement().execute("lock table payments in share mode"); // a long transaction in the way

            // Each writer thread takes one payment and waits for the lock; after that nothing leaves the queue.
            for (int writer = 1; writer <= WRITER_THREADS; writer++) {
                http.createPayment("/v1/payments", queued + "writer-" + writer, SEED_BODY);
                int waiting = writer;
                await("writer " + writer + " waits for the lock").atMost(Duration.ofSeconds(30))
                        .until(() -> writersWaitingForALock(observer) == waiting
                                && Metrics.scrape(http, "payrail_writer_queue_depth") == 0);
            }
            Map<Integer, Long> statuses = fill(http, queued, WRITER_QUEUE_CAPACITY);
            assertThat(statuses).as("answers while the writers are blocked")
                    .isEqualTo(Map.of(503, (long) WRITER_QUEUE_CAPACITY));
            assertThat(Metrics.scrape(http, "payrail_writer_queue_depth")).isEqualTo(WRITER_QUEUE_CAPACITY);

            HttpResponse<String> refused = http.createPayment("/v1/payments", refusedKey, SEED_BODY);

            assertProblem(refused, 503, "temporarily_unavailable");
            assertThat(Metrics.scrape(http, "payrail_writer_queue_depth")).isEqualTo(WRITER_QUEUE_CAPACITY);
            lock.rollback();

            // Every queued payment is written once the lock is gone; the refused one never was queued.
            int expected = WRITER_THREADS + WRITER_QUEUE_CAPACITY;
            await("queued payments written").atMost(Duration.ofSeconds(120))
                    .until(() -> count(observer, "select count(*) from payments where idempotency_key like ?",
                            queued + "%"), n -> n == expected);
            assertThat(Metrics.scrape(http, "payrail_writer_queue_depth")).isZero();
            assertThat(paymentIdsForKey(observer, refusedKey)).isEmpty();
            assertThat(count(observer, "select count(*) from idempotency_keys where idempotency_key = ?", refusedKey))
                    .isZero();
        }
    }

    /** Sends {@code count} payments with distinct keys from 32 threads; how many got each status. */
    private static Map<Integer, Long> fill(Http http, String keyPrefix, int count) throws Exception {
        List<Future<Integer>> answers = new ArrayList<>(count);
        try (var pool = Executors.newFixedThreadPool(32)) {
            for (int i = 0; i < count; i++) {
                String key = keyPrefix + i;
                answers.add(pool.submit(() -> http.createPayment("/v1/payments", key, SEED_BODY).statusCode()));
            }
        }
        Map<Integer, Long> statuses = new TreeMap<>();
        for (Future<Integer> answer : answers) {
            statuses.merge(answer.get(), 1L, Long::sum);
        }
        return statuses;
    }

    private static void assertProblem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(Json.parse(response.body()).get("code").asString()).isEqualTo(code);
    }

    private static long writersWaitingForALock(Connection db) throws SQLException {
        return count(db, "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like ?",
                "%won_keys%");
    }

    private static List<String> paymentIdsForKey(Connection db, String key) throws SQLException {
        try (var ps = db.prepareStatement("select payment_id::text from payments where idempotency_key = ?")) {
            ps.setString(1, key);
            List<String> ids = new ArrayList<>();
            try (var rows = ps.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        }
    }

    private static long count(Connection db, String sql, String parameter) throws SQLException {
        try (var ps = db.prepareStatement(sql)) {
            ps.setString(1, parameter);
            try (var rows = ps.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
