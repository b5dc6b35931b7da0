package dev.payrail.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The environment variables the README documents reach the settings they name. */
class SettingsFromEnvironmentTest {

    private static StandardEnvironment environment(Map<String, Object> variables) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment", variables));
        return env;
    }

    @Test
    void documentedVariablesBindToTheTuningSettings() {
        var env = environment(Map.of(
                "PAYRAIL_ROLES", "api,relay",
                "PAYRAIL_IDEMPOTENCY_RETENTION", "48h",
                "PAYRAIL_IDEMPOTENCY_PURGE", "1m",
                "PAYRAIL_WRITER_THREADS", "3",
                "PAYRAIL_WRITER_BATCH", "64",
                "PAYRAIL_WRITER_TIMEOUT", "2s",
                "PAYRAIL_RELAY_BATCH", "100",
                "PAYRAIL_TOPICS_PAYMENTS", "payments-v2",
                "PAYRAIL_TOPICS_PARTITIONS", "12"));

        PayrailProperties settings = SettingsTable.bind(env);

        assertThat(Role.active(env)).containsExactlyInAnyOrder(Role.API, Role.RELAY);
        assertThat(settings.idempotency().retention()).isEqualTo(Duration.ofHours(48));
        assertThat(settings.idempotency().purge()).isEqualTo(Duration.ofMinutes(1));
        assertThat(settings.writer().threads()).isEqualTo(3);
        assertThat(settings.writer().batch()).isEqualTo(64);
        assertThat(settings.writer().timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.relay().batch()).isEqualTo(100);
        assertThat(settings.topics().payments()).isEqualTo("payments-v2");
        assertThat(settings.topics().partitions()).isEqualTo(12);
    }

    @Test
    void defaultsApplyWhenNothingIsSet() {
        var env = environment(Map.of());
        PayrailProperties settings = SettingsTable.bind(env);
        assertThat(Role.active(env)).containsExactlyInAnyOrder(Role.values());
        assertThat(settings.idempotency().retention()).isEqualTo(Duration.ofHours(24));
        assertThat(settings.writer().batch()).isEqualTo(256);
        assertThat(settings.topics().payments()).isEqualTo("payments");
    }

    @Test
    void infrastructureVariablesResolveUnderTheirPropertyNames() {
        var env = environment(Map.of(
                "PAYRAIL_DB_URL", "jdbc:postgresql://db/payrail",
                "PAYRAIL_KAFKA_BOOTSTRAP", "kafka:9092",
                "PAYRAIL_DATA_DIR", "/var/lib/payrail",
                "PAYRAIL_HTTP_PORT", "9000",
                "PAYRAIL_DB_POOL_SIZE", "32",
                "PAYRAIL_EMBEDDED_POSTGRES_PORT", "5544"));
        assertThat(env.getProperty("payrail.db.url")).isEqualTo("jdbc:postgresql://db/payrail");
        assertThat(env.getProperty("payrail.kafka.bootstrap")).isEqualTo("kafka:9092");
        assertThat(env.getProperty("payrail.data.dir")).isEqualTo("/var/lib/payrail");
        assertThat(env.getProperty("payrail.http.port")).isEqualTo("9000");
        assertThat(env.getProperty("payrail.db.pool.size")).isEqualTo("32");
        assertThat(env.getProperty("payrail.embedded.postgres.port")).isEqualTo("5544");
    }

    @Test
    void anUnknownRoleIsRefused() {
        var env = environment(Map.of("PAYRAIL_ROLES", "api,payments"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Role.active(env))
                .hasMessageContaining("unknown role 'payments'");
    }
}
