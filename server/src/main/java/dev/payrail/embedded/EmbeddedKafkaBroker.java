package dev.payrail.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import lombok.AccessLevel;
import lombok.Getter;
import lombok.RequiredArgsConstructor;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Apache Kafka broker in KRaft mode (combined broker + controller), run in-process from
 * Kafka's own server artifact. Its log directory lives under the Payrail data directory, so topics and
 * messages survive restarts like a standalone broker's would.
 *
 * <p>No anonymous client gets in. The broker listener takes only SASL/SCRAM-SHA-256 as {@value #USER}, whose
 * credential is written into the cluster metadata when the log directory is formatted; the controller
 * listener takes only SASL/PLAIN with a second generated password (SCRAM credentials live in the metadata the
 * controller itself serves, so the controller cannot use them). Both passwords are in {@code <data dir>/secrets}
 * (0600), and the log directory is 0700.
 */
@RequiredArgsConstructor(access = AccessLevel.PRIVATE)
final class EmbeddedKafkaBroker implements AutoCloseable {

    /** The SCRAM user Payrail's producers and consumers log in as. */
    static final String USER = "payrail";
    /** What a client of the broker's listener must speak: SASL without TLS, on 127.0.0.1 only. */
    static final String SECURITY_PROTOCOL = "SASL_PLAINTEXT";
    static final String SASL_MECHANISM = "SCRAM-SHA-256";

    private static final String CONTROLLER_USER = "controller";
    private static final Duration READY_WAIT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;
    @Getter(AccessLevel.PACKAGE)
    private final String bootstrap;
    /** The KRaft controller's own listener; only the broker inside this process has business there. */
    @Getter(AccessLevel.PACKAGE)
    private final String controllerAddress;
    @Getter(AccessLevel.PACKAGE)
    private final String password;

    static EmbeddedKafkaBroker start(Path dataDir, int configuredPort) {
        Path logDir = dataDir.resolve("kafka");
        Path secrets = DataDirectory.secrets(dataDir);
        String password = SecretFiles.readOrCreate(secrets.resolve(SecretFiles.KAFKA_PASSWORD),
                SecretFiles::newPassword);
        String controllerPassword = SecretFiles.readOrCreate(secrets.resolve(SecretFiles.KAFKA_CONTROLLER_PASSWORD),
                SecretFiles::newPassword);
        int brokerPort = configuredPort > 0 ? configuredPort : freePort();
        int controllerPort = freePort();
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "BROKER://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "BROKER://127.0.0.1:" + brokerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "BROKER");
        props.put("listener.security.protocol.map", "BROKER:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        props.put("sasl.enabled.mechanisms", SASL_MECHANISM);
        props.put("sasl.mechanism.inter.broker.protocol", SASL_MECHANISM);
        props.put("listener.name.broker.scram-sha-256.sasl.jaas.config", scramLogin(USER, password));
        props.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        props.put("sasl.mechanism.controller.protocol", "PLAIN");
        props.put("listener.name.controller.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + CONTROLLER_USER
                        + "\" password=\"" + controllerPassword + "\" user_" + CONTROLLER_USER + "=\""
                        + controllerPassword + "\";");
        props.put("log.dirs", logDir.toString());
        props.put("auto.create.topics.enable", "false");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "6");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "4");
        SecretFiles.privateDirectory(logDir);
        KafkaConfig config = new KafkaConfig(props, false);
        format(logDir, password);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        return EmbeddedInfrastructure.readyOrClosed(new EmbeddedKafkaBroker(server, "127.0.0.1:" + brokerPort,
                "127.0.0.1:" + controllerPort, password), EmbeddedKafkaBroker::awaitReady);
    }

    /**
     * A log directory formatted by an older Payrail holds no SCRAM credential, and KRaft takes credentials at
     * format time only; the broker would start and refuse everyone, the application included.
     */
    static void refuseLogFormattedWithoutCredentials(Path dataDir) {
        DataDirectory.refuseIfMadeOpen(dataDir, Path.of("kafka", "meta.properties"), SecretFiles.KAFKA_PASSWORD,
                "Kafka takes anonymous clients");
    }

    /** KRaft refuses unformatted log directories; format once, with our SCRAM user, and keep it on later starts. */
    private static void format(Path logDir, String password) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setUnstableFeatureVersionsEnabled(false)
                    .setIgnoreFormatted(true)
                    .setHasDynamicQuorum(false)
                    // kafka-storage format --add-scram: the only way to give a KRaft cluster its first user.
                    .setScramArguments(List.of(SASL_MECHANISM + "=[name=" + USER + ",password=" + password + "]"))
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka log directory " + logDir + ": " + e.getMessage(), e);
        }
    }

    private static String scramLogin(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** What a client needs besides the address: the security protocol, the mechanism and the login. */
    Map<String, Object> clientSecurity() {
        Map<String, Object> security = new LinkedHashMap<>();
        security.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SECURITY_PROTOCOL);
        security.put(SaslConfigs.SASL_MECHANISM, SASL_MECHANISM);
        security.put(SaslConfigs.SASL_JAAS_CONFIG, scramLogin(USER, password));
        return security;
    }

    /**
     * Waits until the broker answers an authenticated client. Right after start-up the SCRAM credential may not
     * be loaded from the metadata yet, so an authentication failure is retried like a refused connection.
     */
    private void awaitReady() {
        Map<String, Object> config = new LinkedHashMap<>(clientSecurity());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        long deadline = System.nanoTime() + READY_WAIT.toNanos();
        try (Admin admin = Admin.create(config)) {
            while (true) {
                try {
                    admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000)).nodes()
                            .get(10, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof SaslAuthenticationException) || System.nanoTime() > deadline) {
                        throw new IllegalStateException("embedded Kafka did not become ready: " + e.getMessage(), e);
                    }
                    Thread.sleep(200);
                } catch (TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("embedded Kafka did not become ready within " + READY_WAIT, e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the embedded Kafka", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
