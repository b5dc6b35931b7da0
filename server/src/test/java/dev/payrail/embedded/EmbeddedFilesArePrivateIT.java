package dev.payrail.embedded;

import static dev.payrail.support.OtherLocalUser.assertCanTraverseTo;
import static dev.payrail.support.OtherLocalUser.assertCannotRead;
import static dev.payrail.support.ServerProcesses.awaitHealthy;
import static dev.payrail.support.ServerProcesses.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import dev.payrail.support.Http;
import dev.payrail.support.Json;
import dev.payrail.support.OtherLocalUser;
import dev.payrail.support.ServerProcesses;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.util.FileSystemUtils;

/**
 * The other local user, for real: a packaged server runs in embedded mode with its data directory in a
 * directory every user may pass through, and user {@code nobody} tries to read the master key and the
 * passwords, to reach PostgreSQL's socket, and to read the database files and the Kafka log. Each must be
 * refused by the data directory's own permissions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedFilesArePrivateIT {

    private final ServerProcesses servers = new ServerProcesses();
    private Path parent;
    private Path dataDir;
    private String paymentId;

    @BeforeAll
    void startServerAndTakeAPayment() throws Exception {
        // Under target/ an ancestor might stop "nobody" before our permissions are even consulted; /tmp does not.
        parent = Files.createTempDirectory(Path.of("/tmp"), "payrail-it-");
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx--x--x"));
        dataDir = parent.resolve("data");
        int port = freePort();
        Process server = servers.start("private-files", Map.of(),
                "--payrail.data.dir=" + dataDir, "--payrail.http.port=" + port);
        Http http = new Http(port);
        awaitHealthy(http, server);
        paymentId = Json.parse(http.createPayment("/v1/payments", "private-" + UUID.randomUUID(), Http.SEED_BODY)
                .body()).get("payment_id").asString();
        // The relay publishes it, so the Kafka log holds a record that is worth stealing.
        assertThat(ServerProcesses.keysOnPaymentsTopic(ServerProcesses.embeddedEnv(dataDir), List.of(paymentId)))
                .contains(paymentId);
    }

    @AfterAll
    void stopServerAndRemoveItsData() throws Exception {
        servers.close();
        FileSystemUtils.deleteRecursively(parent);
    }

    @Test
    void anotherUserCannotReadTheMasterKeyThePasswordsOrTheConnectionFiles() throws IOException {
        assertCanTraverseTo(dataDir);
        List<Path> secrets;
        try (Stream<Path> files = Files.list(dataDir.resolve("secrets"))) {
            secrets = files.sorted().toList();
        }
        assertThat(secrets).extracting(p -> p.getFileName().toString()).containsExactly(
                "first-admin-password", "kafka-controller.password", "kafka.password", "master.key", "postgres-payrail.password",
                "postgres-superuser.password");
        for (Path secret : secrets) {
            assertCannotRead(secret);
        }
        assertCannotRead(dataDir.resolve("embedded.env"));
        assertCannotRead(dataDir.resolve("kafka-client.properties"));
    }

    @Test
    void everySecretIsOwnerOnlyAndSoIsEveryDirectoryHoldingOne() throws IOException {
        assertThat(OtherLocalUser.mode(dataDir)).isEqualTo("rwx------");
        for (String dir : List.of("secrets", "postgres", "postgres-socket", "kafka")) {
            assertThat(OtherLocalUser.mode(dataDir.resolve(dir))).as(dir).isEqualTo("rwx------");
        }
        try (Stream<Path> files = Files.list(dataDir.resolve("secrets"))) {
            files.forEach(f -> assertThat(OtherLocalUser.mode(f)).as(f.toString()).isEqualTo("rw-------"));
        }
        assertThat(OtherLocalUser.mode(dataDir.resolve("embedded.env"))).isEqualTo("rw-------");
        assertThat(OtherLocalUser.mode(dataDir.resolve("kafka-client.properties"))).isEqualTo("rw-------");
    }

    @Test
    void anotherUserCannotReachThePostgresSocket() throws IOException {
        assertCanTraverseTo(dataDir);
        Path socketDir = dataDir.resolve(EmbeddedPostgresServer.SOCKET_DIRECTORY);
        String port = ServerProcesses.embeddedEnv(dataDir).getProperty("PGPORT");
        assertThat(socketDir.resolve(".s.PGSQL." + port)).exists();
        assertCannotRead(socketDir);
        if (OtherLocalUser.canBecomeAnotherUser()) {
            // connect() needs search permission on every directory of the socket's path
            assertThat(OtherLocalUser.run("/usr/bin/test", "-e", socketDir.resolve(".s.PGSQL." + port).toString())
                    .exitCode()).as("nobody can see the socket").isNotZero();
        }
    }

    @Test
    void anotherUserCannotReadTheDatabaseFilesOrTheKafkaLog() throws IOException {
        assertCanTraverseTo(dataDir);
        Path segment;
        try (Stream<Path> files = Files.walk(dataDir.resolve("kafka"))) {
            segment = files.filter(f -> f.getParent().getFileName().toString().startsWith("payments-")
                    && f.getFileName().toString().endsWith(".log")).filter(f -> size(f) > 0).findFirst().orElseThrow();
        }
        assertThat(Files.readString(segment, StandardCharsets.ISO_8859_1))
                .as("the segment holds the payment, so reading it would leak it").contains(paymentId);
        assertCannotRead(segment);
        assertCannotRead(dataDir.resolve("kafka"));
        assertCannotRead(dataDir.resolve("postgres"));
        assertCannotRead(dataDir.resolve("postgres").resolve("PG_VERSION"));
    }

    @Test
    void postgresRunsFromAPrivateDirectoryNotFromTheWorldWritableTmp() throws IOException {
        long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).getFirst().trim());
        Path binary = Path.of("/proc/" + pid + "/exe").toRealPath();
        assertThat(binary.getFileName()).hasToString("postgres");
        assertThat(binary.toString()).doesNotStartWith(System.getProperty("java.io.tmpdir"));
        Path privateAncestor = binary;
        while (privateAncestor != null && !OtherLocalUser.mode(privateAncestor).equals("rwx------")) {
            privateAncestor = privateAncestor.getParent();
        }
        assertThat(privateAncestor).as("a 0700 directory above %s, so no one else can plant a binary", binary)
                .isNotNull();
        assertThat(Files.getAttribute(privateAncestor, "unix:uid")).as("owner of %s", privateAncestor)
                .isEqualTo(Files.getAttribute(dataDir, "unix:uid"));
    }

    @Test
    void toolsReachBothServersWithWhatTheConnectionFilesHold() throws Exception {
        Properties env = ServerProcesses.embeddedEnv(dataDir);
        try (Connection db = DriverManager.getConnection(env.getProperty("PAYRAIL_EMBEDDED_DB_URL"),
                env.getProperty("PGUSER"), env.getProperty("PGPASSWORD"));
             var rows = db.createStatement().executeQuery(
                     "select count(*) from payments where payment_id = '" + paymentId + "'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isOne();
        }
        Properties kafkaClient = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(env.getProperty("PAYRAIL_EMBEDDED_KAFKA_CONFIG")))) {
            kafkaClient.load(reader);
        }
        assertThat(kafkaClient).containsEntry("bootstrap.servers", env.getProperty("PAYRAIL_EMBEDDED_KAFKA_BOOTSTRAP"))
                .containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-256");
        try (Admin admin = Admin.create(kafkaClient)) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("payments");
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
