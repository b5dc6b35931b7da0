package dev.payrail.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.payrail.support.IntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The embedded servers are real network servers on 127.0.0.1, which every local account can reach. These are
 * the attacks of the issue, replayed against them at the protocol level: each must now be refused.
 */
@IntegrationTest
class EmbeddedServersRefuseStrangersIT {

    private static final String FORGED_EVENT = "{\"event_type\":\"payment.created\",\"data\":{\"forged\":true}}";

    @Autowired
    EmbeddedInfrastructure infrastructure;

    @Autowired
    JdbcClient jdbc;

    private Path secret(String name) {
        return infrastructure.dataDirectory().resolve("secrets").resolve(name);
    }

    private String postgresUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + infrastructure.postgresPort() + "/" + database;
    }

    private Connection connect(String user, String password) throws SQLException {
        return DriverManager.getConnection(postgresUrl("payrail"), user, password);
    }

    private String read(String secretFile) throws IOException {
        return Files.readString(secret(secretFile)).trim();
    }

    @Test
    void postgresRefusesTheSuperuserWithoutAPasswordOrWithAWrongOne() {
        // The attack: any local account logged in as "postgres" over 127.0.0.1 with no password at all.
        assertThatThrownBy(() -> DriverManager.getConnection(postgresUrl("postgres"), "postgres", ""))
                .isInstanceOf(PSQLException.class)
                .hasMessageContaining("SCRAM-based authentication");
        assertThatThrownBy(() -> DriverManager.getConnection(postgresUrl("postgres"), "postgres", "postgres"))
                .isInstanceOf(PSQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
        assertThatThrownBy(() -> connect("payrail", "not-the-password"))
                .isInstanceOf(PSQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
    }

    @Test
    void everyAuthenticationRuleAsksForAScramPassword() throws Exception {
        try (Connection superuser = connect("postgres", read(SecretFiles.POSTGRES_SUPERUSER_PASSWORD));
             var rules = superuser.createStatement().executeQuery(
                     "select type, auth_method, error from pg_hba_file_rules order by rule_number")) {
            List<String> seen = new ArrayList<>();
            while (rules.next()) {
                assertThat(rules.getString("error")).isNull();
                seen.add(rules.getString("type") + " " + rules.getString("auth_method"));
            }
            assertThat(seen).containsExactly("local scram-sha-256", "host scram-sha-256");
        }
    }

    @Test
    void theApplicationRoleCannotReadServerFilesNorRunPrograms() throws Exception {
        String masterKeyFile = secret("master.key").toString();
        try (Connection app = connect(EmbeddedPostgresServer.APPLICATION_ROLE,
                read(SecretFiles.POSTGRES_APPLICATION_PASSWORD));
             var sql = app.createStatement()) {
            // The attacks, as the role Payrail logs in with: read the master key, run a command.
            assertThatThrownBy(() -> sql.executeQuery("select pg_read_file('" + masterKeyFile + "')"))
                    .isInstanceOf(PSQLException.class)
                    .hasMessageContaining("permission denied for function pg_read_file");
            assertThatThrownBy(() -> sql.execute("copy (select 1) to program 'id'"))
                    .isInstanceOf(PSQLException.class)
                    .hasMessageContaining("permission denied to COPY to or from an external program");
            assertThatThrownBy(() -> sql.execute("alter role payrail superuser"))
                    .isInstanceOf(PSQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        }
    }

    @Test
    void theApplicationItselfConnectsAsTheRoleThatIsNoSuperuser() {
        Map<String, Object> login = jdbc.sql("""
                select current_user as role, r.rolsuper as superuser, r.rolcreaterole as create_role,
                       current_database() as database
                from pg_roles r where r.rolname = current_user""").query().singleRow();
        assertThat(login).containsEntry("role", "payrail").containsEntry("superuser", false)
                .containsEntry("create_role", false).containsEntry("database", "payrail");
    }

    @Test
    void theUnixSocketIsInThePrivateDirectoryOfTheDataDirectory() {
        Path socket = infrastructure.dataDirectory().resolve(EmbeddedPostgresServer.SOCKET_DIRECTORY)
                .resolve(".s.PGSQL." + infrastructure.postgresPort());
        assertThat(socket).exists();
        assertThat(Path.of("/tmp/.s.PGSQL." + infrastructure.postgresPort()))
                .as("no socket in /tmp, where every local user may connect").doesNotExist();
    }

    @Test
    void kafkaRefusesAnAnonymousProducerAndTheForgedEventIsNotWritten() throws Exception {
        String forgedKey = "forged-" + UUID.randomUUID();
        Map<String, Long> before = endOffsetsOfPayments();

        Map<String, Object> anonymous = producerSettings(Map.of(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrap()));
        try (var producer = new KafkaProducer<String, String>(anonymous)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("payments", forgedKey, FORGED_EVENT))
                    .get(30, TimeUnit.SECONDS))
                    .as("the broker drops a client that does not authenticate, so it never learns the topic")
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TimeoutException.class);
        }

        assertThat(keysWrittenSince(before)).doesNotContain(forgedKey);
    }

    @Test
    void kafkaRefusesAProducerWithAWrongPassword() throws Exception {
        String forgedKey = "forged-" + UUID.randomUUID();
        Map<String, Long> before = endOffsetsOfPayments();

        Map<String, Object> wrongPassword = new HashMap<>(infrastructure.kafkaClientProperties());
        wrongPassword.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule "
                + "required username=\"payrail\" password=\"guessed\";");
        try (var producer = new KafkaProducer<String, String>(producerSettings(wrongPassword))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("payments", forgedKey, FORGED_EVENT))
                    .get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }

        assertThat(keysWrittenSince(before)).doesNotContain(forgedKey);
    }

    @Test
    void theKafkaControllerListenerRefusesAnonymousClients() {
        Map<String, Object> anonymous = Map.of(
                AdminClientConfig.BOOTSTRAP_CONTROLLERS_CONFIG, infrastructure.kafkaControllerAddress(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        try (Admin admin = Admin.create(anonymous)) {
            assertThatThrownBy(() -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000))
                    .clusterId().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TimeoutException.class);
        }
    }

    private static Map<String, Object> producerSettings(Map<String, Object> connection) {
        Map<String, Object> settings = new HashMap<>(connection);
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return settings;
    }

    /** End offset of every partition of {@code payments}, read with the application's own credentials. */
    private Map<String, Long> endOffsetsOfPayments() {
        try (var consumer = authenticatedConsumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor("payments").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            Map<String, Long> ends = new HashMap<>();
            consumer.endOffsets(partitions).forEach((partition, end) -> ends.put(partition.toString(), end));
            return ends;
        }
    }

    /** Keys of every record written to {@code payments} after {@code before}, up to the current end. */
    private List<String> keysWrittenSince(Map<String, Long> before) {
        List<String> keys = new ArrayList<>();
        try (var consumer = authenticatedConsumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor("payments").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            consumer.assign(partitions);
            partitions.forEach(p -> consumer.seek(p, before.getOrDefault(p.toString(), 0L)));
            Set<TopicPartition> unread = new HashSet<>(partitions);
            // In the test thread: a KafkaConsumer must not be used from two threads.
            await("payments read to its end").atMost(Duration.ofSeconds(30)).pollInSameThread()
                    .pollInterval(Duration.ofMillis(10))
                    .untilAsserted(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(r -> keys.add(r.key()));
                        unread.removeIf(p -> consumer.position(p) >= ends.get(p));
                        assertThat(unread).as("partitions not read to their end").isEmpty();
                    });
        }
        return keys;
    }

    private KafkaConsumer<String, String> authenticatedConsumer() {
        Map<String, Object> settings = new HashMap<>(infrastructure.kafkaClientProperties());
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(settings);
    }
}
