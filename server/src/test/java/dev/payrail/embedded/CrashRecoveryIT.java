package dev.payrail.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.payrail.support.Http;
import dev.payrail.support.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the packaged server as a separate process, as a user would, and kills it with SIGKILL: nothing that
 * was acknowledged may be lost, and the embedded infrastructure must come back by itself.
 */
class CrashRecoveryIT {

    private final List<Process> processes = new ArrayList<>();
    private final Path dataDir = Path.of("target/test-data/crash-" + UUID.randomUUID()).toAbsolutePath();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void paymentAcceptedBeforeKillDashNineIsThereAfterRestartAndItsEventReachesKafka() throws Exception {
        int port = freePort();
        // First life without the relay, so the event cannot have left the outbox before the kill.
        Process first = start(dataDir, port, "api,admin", "first");
        Http http = new Http(port);
        awaitHealthy(http, first);
        HttpResponse<String> created = http.createPayment("/v1/payments", "crash-" + UUID.randomUUID(), Http.SEED_BODY);
        assertThat(created.statusCode()).isEqualTo(201);
        String paymentId = Json.parse(created.body()).get("payment_id").asString();

        first.destroyForcibly(); // SIGKILL: no shutdown hooks, no clean stop of PostgreSQL or Kafka
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

        Process second = start(dataDir, port, "api,relay,admin", "second");
        awaitHealthy(http, second);
        HttpResponse<String> after = http.get("/v1/payments/" + paymentId, Map.of("X-API-Key", Http.DEMO_KEY));
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(Json.parse(after.body()).get("payment_id").asString()).isEqualTo(paymentId);

        assertThat(eventKeysOnTopic(paymentId)).contains(paymentId);
    }

    @Test
    void secondStartOnALockedDataDirOrATakenPortFailsWithOneLine() throws Exception {
        int port = freePort();
        Process running = start(dataDir, port, "api,relay,admin", "running");
        awaitHealthy(new Http(port), running);

        Process sameDir = start(dataDir, freePort(), "api", "same-dir");
        assertThat(sameDir.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(sameDir.exitValue()).isEqualTo(2);
        assertThat(output("same-dir")).hasSize(1).first().asString().contains("is in use by another Payrail process");

        Path otherDir = Path.of("target/test-data/port-" + UUID.randomUUID()).toAbsolutePath();
        Process samePort = start(otherDir, port, "api", "same-port");
        assertThat(samePort.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(samePort.exitValue()).isEqualTo(2);
        assertThat(output("same-port")).hasSize(1).first().asString().contains("port " + port + " ").contains("already in use");
    }

    private Process start(Path dir, int port, String roles, String name) throws IOException {
        String jar = System.getProperty("payrail.test.jar", "target/payrail.jar");
        String java = ProcessHandle.current().info().command().orElse("java");
        Files.createDirectories(Path.of("target/crash-logs"));
        Process process = new ProcessBuilder(java, "-Xmx512m", "-jar", jar,
                "--payrail.data.dir=" + dir, "--payrail.http.port=" + port, "--payrail.roles=" + roles)
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target/crash-logs/" + name + ".log").toFile())
                .start();
        processes.add(process);
        return process;
    }

    /** Non-blank lines the process printed, JVM warnings about the JDK itself left out. */
    private static List<String> output(String name) throws IOException {
        return Files.readAllLines(Path.of("target/crash-logs/" + name + ".log")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("WARNING:"))
                .toList();
    }

    private static void awaitHealthy(Http http, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("server process exited early").isTrue();
            try {
                if (http.get("/health", Map.of()).statusCode() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // connection refused while starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError("server did not become healthy within 120 s");
    }

    private List<String> eventKeysOnTopic(String wanted) throws IOException {
        Properties env = new Properties();
        try (var reader = Files.newBufferedReader(dataDir.resolve("embedded.env"))) {
            env.load(reader);
        }
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.getProperty("PAYRAIL_EMBEDDED_KAFKA_BOOTSTRAP"),
                ConsumerConfig.GROUP_ID_CONFIG, "crash-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> keys = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (var consumer = new KafkaConsumer<String, String>(config)) {
            consumer.subscribe(List.of("payments"));
            while (!keys.contains(wanted) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> keys.add(r.key()));
            }
        }
        return keys;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
