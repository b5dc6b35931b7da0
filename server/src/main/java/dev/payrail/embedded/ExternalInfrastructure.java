package dev.payrail.embedded;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.PropertyResolver;

/**
 * In external mode, checks before any bean exists that the operator's PostgreSQL and Kafka answer within a
 * bounded wait and take the configured credentials. Either failure ends the start with one line that names the
 * setting to fix, instead of a context that half starts and a page of stack traces from the connection pool.
 */
final class ExternalInfrastructure {

    static final Duration CONNECT_WAIT_DEFAULT = Duration.ofSeconds(30);
    static final Duration CONNECT_WAIT_MIN = Duration.ofSeconds(1);
    static final Duration CONNECT_WAIT_MAX = Duration.ofMinutes(10);

    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);
    private static final int ATTEMPT_TIMEOUT_SECONDS_MAX = 10;

    private ExternalInfrastructure() {}

    /** {@code PAYRAIL_DB_CONNECT_WAIT} or {@code PAYRAIL_KAFKA_CONNECT_WAIT}: a duration from 1 s to 10 min. */
    static Duration connectWait(PropertyResolver settings, String property, String variable) {
        String value = settings.getProperty(property);
        if (value == null || value.isBlank()) {
            return CONNECT_WAIT_DEFAULT;
        }
        Duration wait;
        try {
            wait = DurationStyle.detectAndParse(value.trim());
        } catch (IllegalArgumentException malformed) {
            wait = null;
        }
        if (wait == null || wait.compareTo(CONNECT_WAIT_MIN) < 0 || wait.compareTo(CONNECT_WAIT_MAX) > 0) {
            throw new StartupRefusedException(variable + " must be a duration from 1s to 10m, such as 30s (it is '"
                    + value.trim() + "')");
        }
        return wait;
    }

    static void awaitDatabase(String url, String user, String password, Duration wait) {
        String where = withoutParameters(url);
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new StartupRefusedException("PAYRAIL_DB_URL is not a PostgreSQL JDBC URL (" + where
                    + "); it looks like jdbc:postgresql://host:5432/database");
        }
        Properties login = new Properties();
        login.setProperty("user", user);
        login.setProperty("password", password);
        String attemptSeconds = String.valueOf(Math.clamp(wait.toSeconds(), 1, ATTEMPT_TIMEOUT_SECONDS_MAX));
        login.setProperty("connectTimeout", attemptSeconds);
        login.setProperty("loginTimeout", attemptSeconds);
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            SQLException failure;
            try (Connection ignored = DriverManager.getConnection(url, login)) {
                return;
            } catch (SQLException e) {
                failure = e;
            }
            String state = String.valueOf(failure.getSQLState());
            switch (state) {
                // invalid_password, invalid_authorization_specification (unknown role, no pg_hba.conf line),
                // and the driver's "the server requested a password but none was given"
                case "28P01", "28000", "08004" -> throw new StartupRefusedException("PostgreSQL at " + where
                        + " refused the login of user '" + user + "' (" + firstLine(failure) + "): check "
                        + "PAYRAIL_DB_USER and PAYRAIL_DB_PASSWORD");
                case "3D000" -> throw new StartupRefusedException("PostgreSQL at " + where + " has no such database ("
                        + firstLine(failure) + "): check the database name in PAYRAIL_DB_URL");
                default -> {
                    // not reachable yet (refused, timed out, starting up): wait and try again
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new StartupRefusedException("PostgreSQL at " + where + " could not be reached within "
                        + human(wait) + " (" + firstLine(failure) + "): check PAYRAIL_DB_URL, or wait longer "
                        + "with PAYRAIL_DB_CONNECT_WAIT");
            }
            pause();
        }
    }

    /**
     * Asks the cluster for its id with the same client settings the application's admin client will use. A
     * broker that wants SASL from a client that offers none simply drops the connection, so that case ends as
     * "could not be reached", and the line names the credentials too.
     */
    static void awaitKafka(Map<String, Object> adminSettings, String bootstrap, Duration wait) {
        Map<String, Object> settings = new LinkedHashMap<>(adminSettings);
        int waitMillis = Math.toIntExact(wait.toMillis());
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, waitMillis);
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(waitMillis, 10_000));
        try (Admin admin = Admin.create(settings)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(waitMillis)).clusterId()
                    .get(waitMillis + 5_000L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthenticationException refused) {
                throw new StartupRefusedException("Kafka at " + bootstrap + " refused the login ("
                        + firstLine(refused) + "): check PAYRAIL_KAFKA_USER and PAYRAIL_KAFKA_PASSWORD");
            }
            throw unreachableKafka(bootstrap, wait);
        } catch (TimeoutException e) {
            throw unreachableKafka(bootstrap, wait);
        } catch (KafkaException e) {
            // Admin.create: no bootstrap address resolves, or a client setting is malformed
            throw new StartupRefusedException("Kafka at " + bootstrap + " cannot be used (" + firstLine(rootCause(e))
                    + "): check PAYRAIL_KAFKA_BOOTSTRAP and any SPRING_KAFKA_* settings");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupRefusedException("interrupted while waiting for Kafka at " + bootstrap);
        }
    }

    private static StartupRefusedException unreachableKafka(String bootstrap, Duration wait) {
        return new StartupRefusedException("Kafka at " + bootstrap + " could not be reached within " + human(wait)
                + ": check PAYRAIL_KAFKA_BOOTSTRAP (and PAYRAIL_KAFKA_USER / PAYRAIL_KAFKA_PASSWORD if the brokers "
                + "want SASL), or wait longer with PAYRAIL_KAFKA_CONNECT_WAIT");
    }

    /** A JDBC URL may carry {@code ?password=...}; the line shows only where the server is. */
    private static String withoutParameters(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String firstLine(Throwable failure) {
        String message = String.valueOf(failure.getMessage()).strip();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline).strip();
    }

    private static String human(Duration wait) {
        return wait.toMillis() % 1000 == 0 ? wait.toSeconds() + " s" : wait.toMillis() + " ms";
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupRefusedException("interrupted while waiting for PostgreSQL");
        }
    }
}
