package dev.payrail.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

/**
 * Decides between embedded and external infrastructure before any bean exists, and in embedded mode starts a
 * real PostgreSQL server and a real Kafka broker under {@code PAYRAIL_DATA_DIR}. Either way it translates the
 * {@code PAYRAIL_*} settings into the Spring properties the datasource and Kafka clients read, so the rest of
 * the application has one code path.
 *
 * <p>The servers are registered as a disposable singleton first of all beans, so they stop last, after the
 * relay and the connection pool have let go of them.
 */
public final class EmbeddedInfrastructure implements EnvironmentPostProcessor, Ordered, DisposableBean {

    public static final String EMBEDDED_DEV_ADMIN_TOKEN = "dev-admin";

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

    static boolean needsEmbeddedPostgres(Environment env) {
        return isBlank(env.getProperty("payrail.db.url"));
    }

    static boolean needsEmbeddedKafka(Environment env) {
        return isBlank(env.getProperty("payrail.kafka.bootstrap"));
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        boolean embeddedDb = needsEmbeddedPostgres(env);
        boolean embeddedKafka = needsEmbeddedKafka(env);
        boolean embedded = embeddedDb || embeddedKafka;
        Map<String, Object> resolved = new LinkedHashMap<>();
        EmbeddedInfrastructure infrastructure = new EmbeddedInfrastructure(log);
        if (embedded) {
            infrastructure.dataDir = DataDirectory.resolve(env.getProperty("payrail.data.dir"));
            DataDirectory.lock(infrastructure.dataDir);
            resolved.put("payrail.data.dir", infrastructure.dataDir.toString());
        }
        try {
            if (embeddedDb) {
                infrastructure.postgres = EmbeddedPostgresServer.start(infrastructure.dataDir,
                        env.getProperty("payrail.embedded.postgres.port", Integer.class, 0), log::warn);
                log.info("embedded PostgreSQL on 127.0.0.1:" + infrastructure.postgres.port() + ", data in "
                        + infrastructure.dataDir.resolve("postgres"));
                resolved.put("spring.datasource.url", infrastructure.postgres.jdbcUrl());
                resolved.put("spring.datasource.username", "postgres");
                resolved.put("spring.datasource.password", "");
            } else {
                resolved.put("spring.datasource.url", env.getProperty("payrail.db.url"));
                resolved.put("spring.datasource.username", env.getProperty("payrail.db.user", ""));
                resolved.put("spring.datasource.password", env.getProperty("payrail.db.password", ""));
            }
            if (embeddedKafka) {
                infrastructure.kafka = EmbeddedKafkaBroker.start(infrastructure.dataDir,
                        env.getProperty("payrail.embedded.kafka.port", Integer.class, 0));
                resolved.put("spring.kafka.bootstrap-servers", infrastructure.kafka.bootstrap());
                log.info("embedded Kafka (KRaft) on " + infrastructure.kafka.bootstrap() + ", data in "
                        + infrastructure.dataDir.resolve("kafka"));
            } else {
                resolved.put("spring.kafka.bootstrap-servers", env.getProperty("payrail.kafka.bootstrap"));
            }
        } catch (RuntimeException e) {
            infrastructure.destroy();
            throw e;
        }
        resolved.put("payrail.embedded.active", embedded);
        if (embedded && isBlank(env.getProperty("payrail.admin.token"))) {
            resolved.put("payrail.admin.token", EMBEDDED_DEV_ADMIN_TOKEN);
        }
        if (env.getProperty("payrail.demo.data") == null) {
            resolved.put("payrail.demo.data", embedded);
        }
        env.getPropertySources().addFirst(new MapPropertySource("payrailResolved", resolved));
        if (embedded) {
            infrastructure.writeConnectionFile();
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
    }

    /** Lets tools (pgbench, psql, kafka consumers, the benchmark script) find the embedded servers. */
    private void writeConnectionFile() {
        StringBuilder text = new StringBuilder("# written by Payrail at start-up; valid while it runs\n");
        if (postgres != null) {
            text.append("PGHOST=127.0.0.1\nPGPORT=").append(postgres.port()).append("\nPGUSER=postgres\nPGDATABASE=postgres\n");
            text.append("PAYRAIL_EMBEDDED_DB_URL=").append(postgres.jdbcUrl()).append('\n');
        }
        if (kafka != null) {
            text.append("PAYRAIL_EMBEDDED_KAFKA_BOOTSTRAP=").append(kafka.bootstrap()).append('\n');
        }
        try {
            Files.writeString(dataDir.resolve("embedded.env"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String kafkaBootstrap() {
        return kafka == null ? null : kafka.bootstrap();
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

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
