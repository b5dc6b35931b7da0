package dev.payrail.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Embedded or external is decided once, from both settings together; half of each is refused. */
class InfrastructureModeTest {

    private static StandardEnvironment environment(Map<String, Object> variables) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment", variables));
        return env;
    }

    @Test
    void neitherSettingMeansEmbedded() {
        assertThat(InfrastructureMode.of(environment(Map.of()))).isEqualTo(InfrastructureMode.EMBEDDED);
        assertThat(InfrastructureMode.of(environment(Map.of("PAYRAIL_DB_URL", " ", "PAYRAIL_KAFKA_BOOTSTRAP", ""))))
                .as("blank is unset").isEqualTo(InfrastructureMode.EMBEDDED);
    }

    @Test
    void bothSettingsMeanExternal() {
        assertThat(InfrastructureMode.of(environment(Map.of(
                "PAYRAIL_DB_URL", "jdbc:postgresql://db/payrail", "PAYRAIL_KAFKA_BOOTSTRAP", "kafka:9092"))))
                .isEqualTo(InfrastructureMode.EXTERNAL);
    }

    @Test
    void aDatabaseWithoutKafkaIsRefusedNamingBothSettings() {
        assertThatThrownBy(() -> InfrastructureMode.of(environment(Map.of("PAYRAIL_DB_URL", "jdbc:postgresql://db/x"))))
                .isInstanceOf(StartupRefusedException.class)
                .hasMessage("PAYRAIL_DB_URL is set but PAYRAIL_KAFKA_BOOTSTRAP is not: set both to use external "
                        + "PostgreSQL and Kafka, or neither for embedded mode");
    }

    @Test
    void kafkaWithoutADatabaseIsRefusedNamingBothSettings() {
        assertThatThrownBy(() -> InfrastructureMode.of(environment(Map.of("PAYRAIL_KAFKA_BOOTSTRAP", "kafka:9092"))))
                .isInstanceOf(StartupRefusedException.class)
                .hasMessage("PAYRAIL_KAFKA_BOOTSTRAP is set but PAYRAIL_DB_URL is not: set both to use external "
                        + "PostgreSQL and Kafka, or neither for embedded mode");
    }
}
