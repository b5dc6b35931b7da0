package dev.payrail.embedded;

import dev.payrail.platform.InvalidSettingException;
import dev.payrail.platform.MasterKey;
import dev.payrail.platform.SettingsTable;
import dev.payrail.platform.Role;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertyResolver;

/**
 * Decides between embedded and external infrastructure before any bean exists ({@link InfrastructureMode}),
 * and in embedded mode starts a real PostgreSQL server and a real Kafka broker under {@code PAYRAIL_DATA_DIR}.
 * Either way it translates the {@code PAYRAIL_*} settings into the Spring properties the datasource and Kafka
 * clients read, so the rest of the application has one code path, and it publishes the decision as
 * {@code payrail.embedded.active}.
 *
 * <p>The development defaults — admin token {@value #EMBEDDED_DEV_ADMIN_TOKEN}, the demo merchant with its
 * published API key, a master key generated into the data directory, the OpenAPI description and Swagger UI
 * served — exist only in embedded mode, where the
 * database is Payrail's own. Everything the operator can get wrong is checked here, before Spring creates a
 * bean, and refused with one line ({@link StartupRefusedException}).
 *
 * <p>The servers are registered as a disposable singleton first of all beans, so they stop last, after the
 * relay and the connection pool have let go of them.
 */
public final class EmbeddedInfrastructure implements EnvironmentPostProcessor, Ordered, DisposableBean {

    public static final String EMBEDDED_DEV_ADMIN_TOKEN = "dev-admin";
    /** The first admin account's e-mail in embedded mode (when {@code PAYRAIL_ADMIN_EMAIL} is not set). */
    public static final String EMBEDDED_FIRST_ADMIN_EMAIL = "admin@payrail.local";

    /** The roles that talk to Kafka today; a node without them starts, and takes payments, while Kafka is down. */
    private static final Set<Role> ROLES_THAT_NEED_KAFKA = EnumSet.of(Role.RELAY);
    private static final String CONNECTION_FILE = "embedded.env";
    private static final String KAFKA_CLIENT_FILE = "kafka-client.properties";

    /** Logging is not configured yet when this runs; Boot's deferred log replays these lines once it is. */
    private final Log log;
    private EmbeddedPostgresServer postgres;
    private EmbeddedKafkaBroker kafka;
    private Path dataDir;
    private int stoppedKafkaPort;
    private volatile boolean ownedByContext;

    public EmbeddedInfrastructure(DeferredLogFactory logFactory) {
        this.log = logFactory.getLog(EmbeddedInfrastructure.class);
    }

    private EmbeddedInfrastructure(Log log) {
        this.log = log;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after application.properties and the environment have been read
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        InfrastructureMode mode = InfrastructureMode.of(env);
        Set<Role> roles = activeRoles(env);
        checkSettings(env);
        Map<String, Object> resolved = new LinkedHashMap<>();
        resolved.put("payrail.embedded.active", mode == InfrastructureMode.EMBEDDED);
        managementServer(env, resolved);
        MapPropertySource resolvedSource = new MapPropertySource("payrailResolved", resolved);
        switch (mode) {
            case EMBEDDED -> {
                startEmbedded(env, application, resolved);
                env.getPropertySources().addFirst(resolvedSource);
            }
            case EXTERNAL -> {
                resolveExternal(env, resolved);
                env.getPropertySources().addFirst(resolvedSource);
                checkExternal(env, roles);
            }
        }
        // Last, so that the modes above were decided on what an operator really set, not on a default.
        env.getPropertySources().addLast(SettingsTable.defaults());
    }

    /**
     * Binds the tuning settings once before anything starts, so a value out of range (or of the wrong type) is a
     * one-line refusal naming its variable instead of a failure halfway through the start.
     */
    private static void checkSettings(ConfigurableEnvironment env) {
        try {
            SettingsTable.bind(env);
        } catch (BindException e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof InvalidSettingException)) {
                cause = cause.getCause();
            }
            throw new StartupRefusedException(cause instanceof InvalidSettingException invalid ? invalid.getMessage()
                    : "the setting " + e.getProperty().getName() + " has a value that is not valid for it"
                            + " (see the README's configuration table)");
        }
    }

    /**
     * {@code PAYRAIL_MANAGEMENT_PORT}: actuator (health, Prometheus) on a port of its own, listening on
     * {@code PAYRAIL_MANAGEMENT_ADDRESS} or else {@code PAYRAIL_HTTP_ADDRESS} (Boot would listen on every interface).
     * Unset: actuator stays on the HTTP port (Boot refuses a management address then, so none is set).
     */
    private static void managementServer(PropertyResolver env, Map<String, Object> resolved) {
        String port = env.getProperty("payrail.management.port");
        if (!isSet(port)) {
            return;
        }
        resolved.put("management.server.port", port.trim());
        String address = env.getProperty("payrail.management.address");
        resolved.put("management.server.address",
                isSet(address) ? address.trim() : env.getProperty("payrail.http.address", "127.0.0.1"));
    }

    private static Set<Role> activeRoles(PropertyResolver env) {
        try {
            return Role.active(env);
        } catch (IllegalArgumentException unknownRole) {
            throw new StartupRefusedException(unknownRole.getMessage());
        }
    }

    private void startEmbedded(ConfigurableEnvironment env, SpringApplication application,
                               Map<String, Object> resolved) {
        String configuredKey = env.getProperty("payrail.master.key");
        if (isSet(configuredKey)) {
            requireValidMasterKey(configuredKey);
        }
        EmbeddedInfrastructure infrastructure = new EmbeddedInfrastructure(log);
        infrastructure.dataDir = DataDirectory.resolve(env.getProperty("payrail.data.dir"));
        DataDirectory.lock(infrastructure.dataDir);
        try {
            // Before anything is written into a data directory that is about to be refused.
            EmbeddedPostgresServer.refuseClusterThatTrustsEveryone(infrastructure.dataDir);
            EmbeddedKafkaBroker.refuseLogFormattedWithoutCredentials(infrastructure.dataDir);
            if (!isSet(configuredKey)) {
                resolved.put("payrail.master.key", generatedMasterKey(infrastructure.dataDir));
            }
            infrastructure.postgres = EmbeddedPostgresServer.start(infrastructure.dataDir,
                    env.getProperty("payrail.embedded.postgres.port", Integer.class, 0), log::warn);
            log.info("embedded PostgreSQL on 127.0.0.1:" + infrastructure.postgres.port() + ", data in "
                    + infrastructure.dataDir.resolve("postgres"));
            resolved.put("spring.datasource.url", infrastructure.postgres.jdbcUrl());
            resolved.put("spring.datasource.username", EmbeddedPostgresServer.APPLICATION_ROLE);
            resolved.put("spring.datasource.password", infrastructure.postgres.applicationPassword());
            infrastructure.kafka = EmbeddedKafkaBroker.start(infrastructure.dataDir,
                    env.getProperty("payrail.embedded.kafka.port", Integer.class, 0));
            resolved.put("spring.kafka.bootstrap-servers", infrastructure.kafka.bootstrap());
            infrastructure.kafka.clientSecurity()
                    .forEach((name, value) -> resolved.put("spring.kafka.properties." + name, value));
            log.info("embedded Kafka (KRaft, SASL/SCRAM) on " + infrastructure.kafka.bootstrap() + ", data in "
                    + infrastructure.dataDir.resolve("kafka"));
            infrastructure.writeConnectionFiles();
        } catch (RuntimeException e) {
            infrastructure.destroy();
            throw e;
        }
        resolved.put("payrail.data.dir", infrastructure.dataDir.toString());
        if (!isSet(env.getProperty("payrail.admin.token"))) {
            resolved.put("payrail.admin.token", EMBEDDED_DEV_ADMIN_TOKEN);
        }
        if (!isSet(env.getProperty("payrail.admin.email"))) {
            resolved.put("payrail.admin.email", EMBEDDED_FIRST_ADMIN_EMAIL);
        }
        if (!isSet(env.getProperty("payrail.admin.password"))) {
            // The first admin's password: generated once, kept beside the master key, printed when the account
            // is created (AccountsSetup).
            Path file = DataDirectory.secrets(infrastructure.dataDir).resolve("first-admin-password");
            resolved.put("payrail.admin.password", SecretFiles.readOrCreate(file, SecretFiles::newPassword));
            resolved.put("payrail.admin.password-file", file.toString());
        }
        if (env.getProperty("payrail.demo.data") == null) {
            resolved.put("payrail.demo.data", true);
        }
        if (env.getProperty("payrail.api.docs.enabled") == null) {
            resolved.put("payrail.api.docs.enabled", true);   // a developer's own machine: browse the API
        }
        // Register before any other bean so it is destroyed after all of them.
        application.addInitializers(context -> {
            var beanFactory = (DefaultListableBeanFactory) context.getBeanFactory();
            beanFactory.registerSingleton("embeddedInfrastructure", infrastructure);
            beanFactory.registerDisposableBean("embeddedInfrastructure", infrastructure);
            infrastructure.ownedByContext = true;
        });
        // Only for a start that fails before the context exists; otherwise closing the context stops the
        // servers, after the beans that use them (a second hook would race Spring's own).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!infrastructure.ownedByContext) {
                infrastructure.destroy();
            }
        }, "payrail-embedded-stop"));
    }

    /** {@code <data dir>/secrets/master.key}, generated on the first start. Losing it loses merchant secrets. */
    private static String generatedMasterKey(Path dataDir) {
        Path file = DataDirectory.secrets(dataDir).resolve("master.key");
        String key = SecretFiles.readOrCreate(file, MasterKey::generate);
        try {
            MasterKey.decode(key);
        } catch (IllegalArgumentException malformed) {
            throw new StartupRefusedException(file + " does not hold a valid master key (base64 of 32 or more "
                    + "bytes); restore it from a backup, since merchant secrets cannot be read without it, or set "
                    + "PAYRAIL_MASTER_KEY");
        }
        return key;
    }

    private static void resolveExternal(PropertyResolver env, Map<String, Object> resolved) {
        requireValidMasterKey(env.getProperty("payrail.master.key"));
        if (Boolean.TRUE.equals(booleanSetting(env, "payrail.demo.data", "PAYRAIL_DEMO_DATA"))) {
            throw new StartupRefusedException("PAYRAIL_DEMO_DATA=true is refused with external PostgreSQL and "
                    + "Kafka: the demo merchant's API key is published, and every node would accept it from the "
                    + "shared database; unset PAYRAIL_DEMO_DATA (the demo merchant is for embedded mode)");
        }
        if (EMBEDDED_DEV_ADMIN_TOKEN.equals(env.getProperty("payrail.admin.token"))) {
            throw new StartupRefusedException("PAYRAIL_ADMIN_TOKEN=" + EMBEDDED_DEV_ADMIN_TOKEN + " is the published "
                    + "development token and is refused with external PostgreSQL and Kafka; set a random one "
                    + "(`head -c 32 /dev/urandom | base64`)");
        }
        resolved.put("payrail.demo.data", false);
        resolved.put("spring.datasource.url", env.getProperty("payrail.db.url"));
        resolved.put("spring.datasource.username", env.getProperty("payrail.db.user", ""));
        resolved.put("spring.datasource.password", env.getProperty("payrail.db.password", ""));
        resolved.put("spring.kafka.bootstrap-servers", env.getProperty("payrail.kafka.bootstrap"));
        resolveKafkaLogin(env, resolved);
    }

    /**
     * {@code PAYRAIL_KAFKA_USER}/{@code PAYRAIL_KAFKA_PASSWORD}: SASL/SCRAM-SHA-256, over SASL_PLAINTEXT unless the
     * operator chose a protocol ({@code SPRING_KAFKA_SECURITY_PROTOCOL=SASL_SSL}) or a mechanism of their own.
     */
    private static void resolveKafkaLogin(PropertyResolver env, Map<String, Object> resolved) {
        String user = env.getProperty("payrail.kafka.user");
        String password = env.getProperty("payrail.kafka.password");
        if (!isSet(user) && !isSet(password)) {
            return;
        }
        if (!isSet(user) || !isSet(password)) {
            throw new StartupRefusedException("PAYRAIL_KAFKA_USER and PAYRAIL_KAFKA_PASSWORD go together: set both "
                    + "to log in to Kafka with SASL/SCRAM-SHA-256, or neither");
        }
        resolved.put("spring.kafka.properties." + SaslConfigs.SASL_JAAS_CONFIG,
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + jaasQuoted(user) + "\" password=\"" + jaasQuoted(password) + "\";");
        if (!isSet(env.getProperty("spring.kafka.properties." + SaslConfigs.SASL_MECHANISM))) {
            resolved.put("spring.kafka.properties." + SaslConfigs.SASL_MECHANISM, EmbeddedKafkaBroker.SASL_MECHANISM);
        }
        if (!isSet(env.getProperty("spring.kafka.security.protocol"))
                && !isSet(env.getProperty("spring.kafka.properties." + CommonClientConfigs.SECURITY_PROTOCOL_CONFIG))) {
            resolved.put("spring.kafka.properties." + CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        }
    }

    private static void checkExternal(ConfigurableEnvironment env, Set<Role> roles) {
        Duration databaseWait = ExternalInfrastructure.connectWait(env, "payrail.db.connect.wait",
                "PAYRAIL_DB_CONNECT_WAIT");
        Duration kafkaWait = ExternalInfrastructure.connectWait(env, "payrail.kafka.connect.wait",
                "PAYRAIL_KAFKA_CONNECT_WAIT");
        ExternalInfrastructure.awaitDatabase(env.getProperty("spring.datasource.url"),
                env.getProperty("spring.datasource.username"), env.getProperty("spring.datasource.password"),
                databaseWait);
        if (roles.stream().anyMatch(ROLES_THAT_NEED_KAFKA::contains)) {
            // The same client settings Spring Kafka's admin will use: address, protocol, SASL, TLS.
            Map<String, Object> admin = Binder.get(env).bindOrCreate("spring.kafka", KafkaProperties.class)
                    .buildAdminProperties();
            ExternalInfrastructure.awaitKafka(admin, env.getProperty("payrail.kafka.bootstrap"), kafkaWait);
        }
    }

    private static void requireValidMasterKey(String configured) {
        try {
            MasterKey.decode(configured);
        } catch (IllegalArgumentException malformed) {
            throw new StartupRefusedException(malformed.getMessage());
        }
    }

    private static Boolean booleanSetting(PropertyResolver env, String property, String variable) {
        String value = env.getProperty(property);
        if (!isSet(value)) {
            return null;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new StartupRefusedException(variable + " must be true or false (it is '" + value.trim()
                    + "')");
        };
    }

    private static String jaasQuoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /**
     * Lets tools (psql, pgbench, Kafka clients, the benchmark script) reach the embedded servers as the
     * application does. Both files hold passwords, so both are 0600 like every secret in the data directory.
     */
    private void writeConnectionFiles() {
        Path kafkaClientFile = dataDir.resolve(KAFKA_CLIENT_FILE);
        StringBuilder kafkaClient = new StringBuilder("""
                # Written by Payrail at start-up; valid while it runs. A Kafka client configuration for the
                # embedded broker, e.g. kafka-console-consumer.sh --consumer.config <this file>
                """);
        kafkaClient.append("bootstrap.servers=").append(kafka.bootstrap()).append('\n');
        kafka.clientSecurity().forEach((name, value) -> kafkaClient.append(name).append('=').append(value).append('\n'));
        SecretFiles.writePrivate(kafkaClientFile, kafkaClient.toString());

        String env = """
                # Written by Payrail at start-up; valid while it runs: (set -a; . ./embedded.env; psql)
                # libpq's own variables, for psql and pgbench as the application role:
                PGHOST=127.0.0.1
                PGPORT=%d
                PGDATABASE=%s
                PGUSER=%s
                PGPASSWORD=%s
                # The same database for JDBC, and its Unix socket:
                PAYRAIL_EMBEDDED_DB_URL=%s
                PAYRAIL_EMBEDDED_DB_SOCKET_DIR=%s
                # The Kafka broker and how a client logs in to it:
                PAYRAIL_EMBEDDED_KAFKA_BOOTSTRAP=%s
                PAYRAIL_EMBEDDED_KAFKA_SECURITY_PROTOCOL=%s
                PAYRAIL_EMBEDDED_KAFKA_SASL_MECHANISM=%s
                PAYRAIL_EMBEDDED_KAFKA_USER=%s
                PAYRAIL_EMBEDDED_KAFKA_PASSWORD=%s
                PAYRAIL_EMBEDDED_KAFKA_CONFIG=%s
                """.formatted(postgres.port(), EmbeddedPostgresServer.APPLICATION_DATABASE,
                EmbeddedPostgresServer.APPLICATION_ROLE, postgres.applicationPassword(), postgres.jdbcUrl(),
                postgres.socketDirectory(), kafka.bootstrap(), EmbeddedKafkaBroker.SECURITY_PROTOCOL,
                EmbeddedKafkaBroker.SASL_MECHANISM, EmbeddedKafkaBroker.USER,
                kafka.password(), kafkaClientFile);
        SecretFiles.writePrivate(dataDir.resolve(CONNECTION_FILE), env);
    }

    public String kafkaBootstrap() {
        return kafka == null ? null : kafka.bootstrap();
    }

    /** Everything a Kafka client needs to reach the embedded broker as the application does: address and login. */
    public Map<String, Object> kafkaClientProperties() {
        Map<String, Object> client = new LinkedHashMap<>();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        client.putAll(kafka.clientSecurity());
        return client;
    }

    int postgresPort() {
        return postgres.port();
    }

    /** The embedded KRaft controller's listener, for tests that check it is closed to strangers. */
    String kafkaControllerAddress() {
        return kafka.controllerAddress();
    }

    Path dataDirectory() {
        return dataDir;
    }

    /** Fault switch for tests and demos: stops the embedded broker, keeping its data and port. */
    public synchronized void stopKafka() {
        if (kafka != null && stoppedKafkaPort == 0) {
            stoppedKafkaPort = kafka.port();
            kafka.close();
        }
    }

    /** Starts the broker stopped by {@link #stopKafka()} again, on the same port with the same data. */
    public synchronized void restartKafka() {
        if (stoppedKafkaPort != 0) {
            kafka = EmbeddedKafkaBroker.start(dataDir, stoppedKafkaPort);
            stoppedKafkaPort = 0;
        }
    }

    @Override
    public synchronized void destroy() {
        if (kafka != null && stoppedKafkaPort == 0) {
            try {
                kafka.close();
            } catch (RuntimeException e) {
                log.warn("embedded Kafka did not stop cleanly", e);
            }
            kafka = null;
        }
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
        if (dataDir != null) {
            DataDirectory.release(dataDir);
            dataDir = null;
        }
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    /**
     * {@code server} once {@code ready} has passed; when it throws, the server is closed and the failure passed on,
     * so a half-started server never outlives its start (nor keeps the data directory's ports and files).
     */
    static <T extends AutoCloseable> T readyOrClosed(T server, Consumer<T> ready) {
        try {
            ready.accept(server);
        } catch (RuntimeException e) {
            try {
                server.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return server;
    }
}
