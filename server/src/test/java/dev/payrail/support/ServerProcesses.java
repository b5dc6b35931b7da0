package dev.payrail.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Runs the packaged server ({@code target/payrail.jar}, built by {@code package} before failsafe runs) as separate
 * processes, the way a user or an operator does, and stops them all at the end of a test.
 */
public final class ServerProcesses implements AutoCloseable {

    private final List<Process> processes = new ArrayList<>();
    private final Path logs = Path.of("target/process-logs");

    public Process start(String name, Map<String, String> environment, String... args) {
        String jar = System.getProperty("payrail.test.jar", "target/payrail.jar");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-jar", jar));
        command.addAll(List.of(args));
        try {
            Files.createDirectories(logs);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(logs.resolve(name + ".log").toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("PAYRAIL_"));
            builder.environment().putAll(environment);
            Process process = builder.start();
            processes.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Non-blank lines the process printed, the JDK's own warnings left out. */
    public List<String> output(String name) throws IOException {
        return Files.readAllLines(logs.resolve(name + ".log")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("WARNING:"))
                .toList();
    }

    /** Waits until {@code /health} answers 200; fails at once if the process exits first. */
    public static void awaitHealthy(Http http, Process process) {
        await("server healthy").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .failFast("server process exited early", () -> !process.isAlive())
                .until(() -> {
                    try {
                        return http.get("/health", Map.of()).statusCode() == 200;
                    } catch (UncheckedIOException notYet) {
                        return false; // connection refused while starting
                    }
                });
    }

    /** The addresses and credentials an embedded-mode server wrote into its data directory. */
    public static Properties embeddedEnv(Path dataDir) throws IOException {
        Properties env = new Properties();
        try (var reader = Files.newBufferedReader(dataDir.resolve("embedded.env"))) {
            env.load(reader);
        }
        return env;
    }

    /**
     * Address and login of an embedded-mode server's Kafka (it takes no anonymous client): the client
     * configuration the server wrote beside {@code embedded.env}, as any Kafka tool would use it.
     */
    public static Map<String, Object> kafkaClient(Properties embeddedEnv) {
        Properties client = new Properties();
        try (var reader = Files.newBufferedReader(Path.of(embeddedEnv.getProperty("PAYRAIL_EMBEDDED_KAFKA_CONFIG")))) {
            client.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> config = new HashMap<>();
        client.forEach((name, value) -> config.put((String) name, value));
        return config;
    }

    /** Keys of the records on topic {@code payments}, read until all wanted keys were seen (at most 60 s). */
    public static List<String> keysOnPaymentsTopic(Properties embeddedEnv, Collection<String> wanted) {
        return recordsOnPaymentsTopic(embeddedEnv, wanted).stream().map(ConsumerRecord::key).toList();
    }

    /** The records on topic {@code payments}, read until all wanted keys were seen; fails after 60 s. */
    public static List<ConsumerRecord<String, String>> recordsOnPaymentsTopic(Properties embeddedEnv,
                                                                          Collection<String> wanted) {
        Map<String, Object> config = new HashMap<>(kafkaClient(embeddedEnv));
        config.putAll(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "process-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        Set<String> missing = new HashSet<>(wanted);
        try (var consumer = new KafkaConsumer<String, String>(config)) {
            consumer.subscribe(List.of("payments"));
            // In the test thread: a KafkaConsumer must not be used from two threads.
            await("events on topic payments").atMost(Duration.ofSeconds(60)).pollInSameThread()
                    .pollInterval(Duration.ofMillis(10))
                    .untilAsserted(() -> {
                        for (var record : consumer.poll(Duration.ofMillis(500))) {
                            records.add(record);
                            missing.remove(record.key());
                        }
                        assertThat(missing).as("keys not yet seen on topic payments").isEmpty();
                    });
        }
        return records;
    }

    /**
     * A connection to the embedded PostgreSQL of a running server, with the address and credentials it wrote
     * into {@code embedded.env}.
     */
    public static Connection database(Path dataDir) throws IOException, SQLException {
        Properties env = embeddedEnv(dataDir);
        return DriverManager.getConnection(env.getProperty("PAYRAIL_EMBEDDED_DB_URL"),
                env.getProperty("PGUSER"), env.getProperty("PGPASSWORD"));
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path freshDataDir(String prefix) {
        return Path.of("target/test-data/" + prefix + "-" + UUID.randomUUID()).toAbsolutePath();
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
