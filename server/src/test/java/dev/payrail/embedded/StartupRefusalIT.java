package dev.payrail.embedded;

import static dev.payrail.support.ServerProcesses.awaitHealthy;
import static dev.payrail.support.ServerProcesses.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import dev.payrail.support.Http;
import dev.payrail.support.IntegrationTest;
import dev.payrail.support.ServerProcesses;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/**
 * Runs the packaged server as an operator would, with one thing wrong at a time, against the real PostgreSQL
 * and Kafka of the shared test context. Every refusal must be exactly one line, {@code payrail: ...}, naming the
 * setting to fix, and exit code 2; and a refused start must leave the operator's database as it found it.
 */
@IntegrationTest
class StartupRefusalIT {

    private static final String DEMO_KEY = Http.DEMO_KEY;

    @Autowired
    EmbeddedInfrastructure infrastructure;

    @Autowired
    Environment environment;

    private final ServerProcesses servers = new ServerProcesses();
    private String masterKey;
    private String kafkaPassword;

    @BeforeEach
    void readCredentials() throws Exception {
        masterKey = Base64.getEncoder().encodeToString(new byte[32]);
        kafkaPassword = Files.readString(secret(SecretFiles.KAFKA_PASSWORD)).trim();
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        servers.close();
    }

    private Path secret(String name) {
        return infrastructure.dataDirectory().resolve("secrets").resolve(name);
    }

    private String databaseUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + infrastructure.postgresPort() + "/" + database;
    }

    /** A fresh, empty database owned by the application role: the operator's "real" database. */
    private String newDatabase(String prefix) throws Exception {
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection superuser = DriverManager.getConnection(databaseUrl("postgres"), "postgres",
                Files.readString(secret(SecretFiles.POSTGRES_SUPERUSER_PASSWORD)).trim())) {
            superuser.createStatement().execute("create database " + name + " owner payrail");
        }
        return name;
    }

    private Connection asApplication(String database) throws SQLException {
        return DriverManager.getConnection(databaseUrl(database), environment.getProperty("spring.datasource.username"),
                environment.getProperty("spring.datasource.password"));
    }

    /** Everything an external node needs to start against the test context's servers, on a fresh port. */
    private Map<String, String> externalNode(String database) {
        Map<String, String> env = new HashMap<>();
        env.put("PAYRAIL_DB_URL", databaseUrl(database));
        env.put("PAYRAIL_DB_USER", environment.getProperty("spring.datasource.username"));
        env.put("PAYRAIL_DB_PASSWORD", environment.getProperty("spring.datasource.password"));
        env.put("PAYRAIL_KAFKA_BOOTSTRAP", infrastructure.kafkaBootstrap());
        env.put("PAYRAIL_KAFKA_USER", EmbeddedKafkaBroker.USER);
        env.put("PAYRAIL_KAFKA_PASSWORD", kafkaPassword);
        env.put("PAYRAIL_MASTER_KEY", masterKey);
        env.put("PAYRAIL_ADMIN_TOKEN", "admin-" + UUID.randomUUID());
        env.put("PAYRAIL_HTTP_PORT", String.valueOf(freePort()));
        env.put("PAYRAIL_DB_CONNECT_WAIT", "5s");
        env.put("PAYRAIL_KAFKA_CONNECT_WAIT", "5s");
        return env;
    }

    private static Map<String, String> with(Map<String, String> base, String... overrides) {
        Map<String, String> env = new HashMap<>(base);
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == null) {
                env.remove(overrides[i]);
            } else {
                env.put(overrides[i], overrides[i + 1]);
            }
        }
        return env;
    }

    /** Starts the jar, expects exit code 2, and returns its one line of output. */
    private String refusal(String name, Map<String, String> env, String... args) throws Exception {
        Process process = servers.start(name, env, args);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s ended", name).isTrue();
        List<String> output = servers.output(name);
        assertThat(process.exitValue()).as("exit code of %s, which printed %s", name, output).isEqualTo(2);
        assertThat(output).as("everything %s printed", name).hasSize(1);
        assertThat(output.getFirst()).startsWith("payrail: ");
        return output.getFirst();
    }

    private static int tablesIn(Connection db) throws SQLException {
        try (var rows = db.createStatement().executeQuery(
                "select count(*) from pg_tables where schemaname = 'public'")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    @Test
    void aDatabaseWithoutKafkaIsRefusedBeforeTheDemoMerchantOrAnythingElseIsWritten() throws Exception {
        String database = newDatabase("half");
        Path dataDir = ServerProcesses.freshDataDir("half");

        String line = refusal("half-db", Map.of(
                "PAYRAIL_DB_URL", databaseUrl(database),
                "PAYRAIL_DB_USER", environment.getProperty("spring.datasource.username"),
                "PAYRAIL_DB_PASSWORD", environment.getProperty("spring.datasource.password"),
                "PAYRAIL_DATA_DIR", dataDir.toString(),
                "PAYRAIL_HTTP_PORT", String.valueOf(freePort())));

        assertThat(line).isEqualTo("payrail: PAYRAIL_DB_URL is set but PAYRAIL_KAFKA_BOOTSTRAP is not: set both to "
                + "use external PostgreSQL and Kafka, or neither for embedded mode");
        try (Connection db = asApplication(database)) {
            assertThat(tablesIn(db)).as("tables in the operator's database: no schema, no demo merchant").isZero();
        }
        assertThat(dataDir).as("nothing embedded was started either").doesNotExist();
    }

    @Test
    void kafkaWithoutADatabaseIsRefusedNamingBothSettings() throws Exception {
        Path dataDir = ServerProcesses.freshDataDir("half");
        String line = refusal("half-kafka", Map.of(
                "PAYRAIL_KAFKA_BOOTSTRAP", infrastructure.kafkaBootstrap(),
                "PAYRAIL_DATA_DIR", dataDir.toString(),
                "PAYRAIL_HTTP_PORT", String.valueOf(freePort())));
        assertThat(line).isEqualTo("payrail: PAYRAIL_KAFKA_BOOTSTRAP is set but PAYRAIL_DB_URL is not: set both to "
                + "use external PostgreSQL and Kafka, or neither for embedded mode");
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void externalModeWithoutAUsableMasterKeyIsRefusedNamingTheVariable() throws Exception {
        Map<String, String> node = externalNode("payrail");
        assertThat(refusal("key-missing", with(node, "PAYRAIL_MASTER_KEY", null)))
                .startsWith("payrail: PAYRAIL_MASTER_KEY is required with external PostgreSQL and Kafka");
        assertThat(refusal("key-not-base64", with(node, "PAYRAIL_MASTER_KEY", "my-secret-key!")))
                .startsWith("payrail: PAYRAIL_MASTER_KEY is not valid base64")
                .doesNotContain("my-secret-key");
        assertThat(refusal("key-short", with(node, "PAYRAIL_MASTER_KEY",
                Base64.getEncoder().encodeToString(new byte[16]))))
                .startsWith("payrail: PAYRAIL_MASTER_KEY holds 16 bytes, fewer than 32");
    }

    @Test
    void theDevelopmentDefaultsAreRefusedOnExternalInfrastructure() throws Exception {
        Map<String, String> node = externalNode("payrail");
        assertThat(refusal("demo-external", with(node, "PAYRAIL_DEMO_DATA", "true")))
                .startsWith("payrail: PAYRAIL_DEMO_DATA=true is refused with external PostgreSQL and Kafka");
        assertThat(refusal("dev-admin-external", with(node, "PAYRAIL_ADMIN_TOKEN", "dev-admin")))
                .startsWith("payrail: PAYRAIL_ADMIN_TOKEN=dev-admin is the published development token");
        assertThat(refusal("admin-email-alone", with(node, "PAYRAIL_ADMIN_EMAIL", "ops@example.com")))
                .startsWith("payrail: PAYRAIL_ADMIN_EMAIL and PAYRAIL_ADMIN_PASSWORD go together");
    }

    @Test
    void aDatabaseThatDoesNotAnswerIsRefusedAfterTheBoundedWait() throws Exception {
        Map<String, String> node = with(externalNode("payrail"),
                "PAYRAIL_DB_URL", "jdbc:postgresql://127.0.0.1:" + freePort() + "/payrail",
                "PAYRAIL_DB_CONNECT_WAIT", "2s");
        long started = System.nanoTime();
        String line = refusal("db-unreachable", node);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).as("seconds until refused")
                .isLessThan(60);
        assertThat(line).contains("could not be reached within 2 s").contains("check PAYRAIL_DB_URL")
                .contains("PAYRAIL_DB_CONNECT_WAIT");

        assertThat(refusal("db-wait-malformed", with(node, "PAYRAIL_DB_CONNECT_WAIT", "forever")))
                .isEqualTo("payrail: PAYRAIL_DB_CONNECT_WAIT must be a duration from 1s to 10m, such as 30s "
                        + "(it is 'forever')");
    }

    @Test
    void wrongDatabaseCredentialsAreRefusedNamingTheSettings() throws Exception {
        Map<String, String> node = externalNode("payrail");
        assertThat(refusal("db-wrong-password", with(node, "PAYRAIL_DB_PASSWORD", "guessed")))
                .contains("refused the login of user 'payrail'")
                .endsWith("check PAYRAIL_DB_USER and PAYRAIL_DB_PASSWORD")
                .doesNotContain("guessed");
        assertThat(refusal("db-superuser-no-password", with(node, "PAYRAIL_DB_USER", "postgres",
                "PAYRAIL_DB_PASSWORD", null)))
                .contains("refused the login of user 'postgres'")
                .endsWith("check PAYRAIL_DB_USER and PAYRAIL_DB_PASSWORD");
    }

    @Test
    void kafkaThatDoesNotAnswerIsRefusedAfterTheBoundedWait() throws Exception {
        String line = refusal("kafka-unreachable", with(externalNode("payrail"),
                "PAYRAIL_KAFKA_BOOTSTRAP", "127.0.0.1:" + freePort(), "PAYRAIL_KAFKA_CONNECT_WAIT", "2s"));
        assertThat(line).contains("could not be reached within 2 s").contains("check PAYRAIL_KAFKA_BOOTSTRAP")
                .contains("PAYRAIL_KAFKA_CONNECT_WAIT");
    }

    @Test
    void wrongOrMissingKafkaCredentialsAreRefused() throws Exception {
        Map<String, String> node = externalNode("payrail");
        assertThat(refusal("kafka-wrong-password", with(node, "PAYRAIL_KAFKA_PASSWORD", "guessed")))
                .contains("refused the login")
                .endsWith("check PAYRAIL_KAFKA_USER and PAYRAIL_KAFKA_PASSWORD")
                .doesNotContain("guessed");
        assertThat(refusal("kafka-anonymous", with(node, "PAYRAIL_KAFKA_USER", null, "PAYRAIL_KAFKA_PASSWORD", null,
                "PAYRAIL_KAFKA_CONNECT_WAIT", "3s")))
                .contains("could not be reached within 3 s")
                .contains("PAYRAIL_KAFKA_USER / PAYRAIL_KAFKA_PASSWORD");
    }

    @Test
    void aSettingOutOfItsRangeIsRefusedNamingTheVariableBeforeAnythingStarts() throws Exception {
        Path dataDir = ServerProcesses.freshDataDir("bad-setting");
        assertThat(refusal("bad-setting", Map.of("PAYRAIL_WRITER_THREADS", "0",
                "PAYRAIL_DATA_DIR", dataDir.toString())))
                .isEqualTo("payrail: PAYRAIL_WRITER_THREADS must be between 1 and 64 (is 0)");
        assertThat(refusal("bad-setting-type", Map.of("PAYRAIL_RELAY_IDLE", "soon",
                "PAYRAIL_DATA_DIR", dataDir.toString())))
                .isEqualTo("payrail: the setting payrail.relay.idle has a value that is not valid for it "
                        + "(see the README's configuration table)");
        assertThat(dataDir.resolve("postgres")).as("no embedded server was started").doesNotExist();
    }

    @Test
    void anUnknownRoleIsRefused() throws Exception {
        assertThat(refusal("unknown-role", Map.of("PAYRAIL_ROLES", "api,payments",
                "PAYRAIL_DATA_DIR", ServerProcesses.freshDataDir("role").toString())))
                .isEqualTo("payrail: unknown role 'payments' in PAYRAIL_ROLES; known roles: api, relay, processing, "
                        + "webhooks, admin, simulators");
    }

    @Test
    void aTakenPortForAnEmbeddedServerIsRefusedNamingItsSetting() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            assertThat(refusal("embedded-port-taken", Map.of(
                    "PAYRAIL_DATA_DIR", ServerProcesses.freshDataDir("port").toString(),
                    "PAYRAIL_EMBEDDED_POSTGRES_PORT", String.valueOf(taken.getLocalPort()),
                    "PAYRAIL_HTTP_PORT", String.valueOf(freePort()))))
                    .isEqualTo("payrail: port " + taken.getLocalPort() + " on 127.0.0.1 is already in use (another "
                            + "Payrail?); stop that process or set PAYRAIL_EMBEDDED_POSTGRES_PORT");
        }
    }

    @Test
    void aDataDirectoryFromAVersionThatLetEveryoneInIsRefusedUntouched() throws Exception {
        // What an older Payrail left: a cluster made with "initdb -A trust" and no password anywhere.
        Path old = ServerProcesses.freshDataDir("old");
        Files.createDirectories(old.resolve("postgres"));
        Files.writeString(old.resolve("postgres/PG_VERSION"), "18\n");
        String line = refusal("old-data-dir", Map.of("PAYRAIL_DATA_DIR", old.toString(),
                "PAYRAIL_HTTP_PORT", String.valueOf(freePort())));
        assertThat(line).isEqualTo("payrail: data directory " + old + " was made by an older Payrail whose "
                + "PostgreSQL lets every local user in without a password, and cannot be closed in place; move it "
                + "away (or delete it) and start again, or set PAYRAIL_DATA_DIR to a new directory");
        assertThat(old.resolve("secrets")).as("no secret written into a refused directory").doesNotExist();

        // And what it left of Kafka: a log directory formatted without any user, which takes anonymous clients.
        Path oldKafka = ServerProcesses.freshDataDir("old-kafka");
        Files.createDirectories(oldKafka.resolve("kafka"));
        Files.writeString(oldKafka.resolve("kafka/meta.properties"), "version=1\n");
        assertThat(refusal("old-kafka-log", Map.of("PAYRAIL_DATA_DIR", oldKafka.toString(),
                "PAYRAIL_HTTP_PORT", String.valueOf(freePort()))))
                .isEqualTo("payrail: data directory " + oldKafka + " was made by an older Payrail whose Kafka takes "
                        + "anonymous clients, and cannot be closed in place; move it away (or delete it) and start "
                        + "again, or set PAYRAIL_DATA_DIR to a new directory");
    }

    @Test
    void anExternalNodeGetsNoDevelopmentDefaultsAndRevokesThePublishedDemoKey() throws Exception {
        String database = newDatabase("external");
        Map<String, String> node = externalNode(database);
        int port = Integer.parseInt(node.get("PAYRAIL_HTTP_PORT"));
        Http http = new Http(port);
        Process first = servers.start("external-first", node);
        awaitHealthy(http, first);

        assertThat(http.createPayment("/v1/payments", null, Http.SEED_BODY).statusCode())
                .as("the demo key on a node with a real database").isEqualTo(401);
        assertThat(http.post("/admin-api/merchants", Map.of("Authorization", "Bearer dev-admin",
                "Content-Type", "application/json"), "{\"webhook_url\":\"https://x.example/h\",\"api_secret\":\"s\"}")
                .statusCode()).as("dev-admin on a node with a real database").isEqualTo(401);
        try (Connection db = asApplication(database);
             var merchants = db.createStatement().executeQuery("select count(*) from merchants")) {
            merchants.next();
            assertThat(merchants.getInt(1)).as("merchants in the operator's database").isZero();
        }
        first.destroy();
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();

        // What an older Payrail, started with PAYRAIL_DB_URL alone, left in the operator's database.
        try (Connection db = asApplication(database); var sql = db.createStatement()) {
            sql.execute("""
                    insert into merchants (merchant_id, name, webhook_url, webhook_secret_enc, created_at, updated_at)
                    values ('0b85ac22-a90a-4019-b0e7-9d07b672cf34', 'Demo merchant', 'http://127.0.0.1:8000/h',
                            '\\x00', now(), now())""");
            sql.execute("""
                    insert into api_keys (api_key_id, merchant_id, key_hash, key_prefix, created_at)
                    values (gen_random_uuid(), '0b85ac22-a90a-4019-b0e7-9d07b672cf34', sha256('%s'), 'sk_live_0b85…',
                            now())""".formatted(DEMO_KEY));
        }
        Process second = servers.start("external-second", node);
        awaitHealthy(http, second);

        assertThat(http.createPayment("/v1/payments", null, Http.SEED_BODY).statusCode())
                .as("the published key left by the old bug, after a start on external infrastructure").isEqualTo(401);
        try (Connection db = asApplication(database);
             var revoked = db.createStatement().executeQuery(
                     "select revoked_at is not null from api_keys where key_hash = sha256('" + DEMO_KEY + "')")) {
            assertThat(revoked.next()).isTrue();
            assertThat(revoked.getBoolean(1)).as("revoked").isTrue();
        }
    }
}
