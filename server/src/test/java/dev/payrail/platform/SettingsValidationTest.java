package dev.payrail.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Settings out of range stop the start with a message naming the variable, instead of misbehaving later. */
class SettingsValidationTest {

    private static PayrailProperties bind(Map<String, Object> variables) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment", variables));
        return SettingsTable.bind(env);
    }

    @Test
    void newSettingsBindFromTheirDocumentedVariables() {
        PayrailProperties settings = bind(Map.of(
                "PAYRAIL_VAULT_PAN_RETENTION", "2h",
                "PAYRAIL_VAULT_SWEEP", "30s",
                "PAYRAIL_OUTBOX_RETENTION", "3d",
                "PAYRAIL_OUTBOX_CLEANUP", "15m",
                "PAYRAIL_RELAY_IDLE", "20ms"));
        assertThat(settings.vault().panRetention()).isEqualTo(Duration.ofHours(2));
        assertThat(settings.vault().sweep()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.outbox().retention()).isEqualTo(Duration.ofDays(3));
        assertThat(settings.outbox().cleanup()).isEqualTo(Duration.ofMinutes(15));
        assertThat(settings.relay().idle()).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void exposureSettingsBindFromTheirDocumentedVariablesAndAreChecked() {
        PayrailProperties defaults = bind(Map.of());
        assertThat(defaults.management().port()).isNull();
        assertThat(defaults.api().docs().enabled()).isFalse();   // embedded mode turns it on, nothing else does
        assertThat(defaults.publicAddress().url()).isEmpty();
        PayrailProperties settings = bind(Map.of(
                "PAYRAIL_MANAGEMENT_PORT", "9100",
                "PAYRAIL_API_DOCS_ENABLED", "true",
                "PAYRAIL_PUBLIC_URL", "https://pay.example.com"));
        assertThat(settings.management().port()).isEqualTo(9100);
        assertThat(settings.api().docs().enabled()).isTrue();
        assertThat(settings.publicAddress().url()).isEqualTo("https://pay.example.com");
        assertThatThrownBy(() -> bind(Map.of("PAYRAIL_MANAGEMENT_PORT", "70000")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("PAYRAIL_MANAGEMENT_PORT");
        for (String bad : new String[] {"pay.example.com", "ftp://pay.example.com", "https://pay.example.com/?a=b",
                "javascript:alert(1)"}) {
            assertThatThrownBy(() -> bind(Map.of("PAYRAIL_PUBLIC_URL", bad))).as(bad)
                    .isInstanceOf(BindException.class).rootCause().hasMessageContaining("PAYRAIL_PUBLIC_URL");
        }
    }

    @Test
    void processingSettingsBindFromTheirDocumentedVariables() {
        PayrailProperties settings = bind(Map.of(
                "PAYRAIL_PROCESSING_ROUTE", "beta,alpha",
                "PAYRAIL_PROCESSING_ATTEMPTS_MAX", "2",
                "PAYRAIL_PROCESSING_STALE_AFTER", "45s",
                "PAYRAIL_PROCESSING_JANITOR", "2s",
                "PAYRAIL_PROCESSING_NOT_FOUND_AFTER", "90s"));
        assertThat(settings.processing().route()).containsExactly("beta", "alpha");
        assertThat(settings.processing().attemptsMax()).isEqualTo(2);
        assertThat(settings.processing().staleAfter()).isEqualTo(Duration.ofSeconds(45));
        assertThat(settings.processing().janitor()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.processing().notFoundAfter()).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> bind(Map.of("PAYRAIL_PROCESSING_ATTEMPTS_MAX", "0")))
                .rootCause().hasMessage("PAYRAIL_PROCESSING_ATTEMPTS_MAX must be between 1 and 10 (is 0)");
    }

    @Test
    void theRoutingRefreshBindsFromItsVariableAndIsBounded() {
        assertThat(bind(Map.of()).routing().refresh()).isEqualTo(Duration.ofSeconds(2));
        assertThat(bind(Map.of("PAYRAIL_ROUTING_REFRESH", "500ms")).routing().refresh()).isEqualTo(Duration.ofMillis(500));
        assertThatThrownBy(() -> bind(Map.of("PAYRAIL_ROUTING_REFRESH", "5m")))
                .rootCause().hasMessageStartingWith("PAYRAIL_ROUTING_REFRESH must be between 0.1s and 1m");
    }

    @Test
    void theDefaultsAreWithinTheirLimits() {
        PayrailProperties settings = bind(Map.of());
        assertThat(settings.vault().panRetention()).isZero();
        assertThat(settings.outbox().retention()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void zeroWriterThreadsAreRefusedNamingTheVariable() {
        assertThatThrownBy(() -> bind(Map.of("PAYRAIL_WRITER_THREADS", "0")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessage("PAYRAIL_WRITER_THREADS must be between 1 and 64 (is 0)");
    }

    @Test
    void aNegativeRetentionAndAnOversizedBatchAreRefused() {
        assertThatThrownBy(() -> bind(Map.of("PAYRAIL_IDEMPOTENCY_RETENTION", "-1h")))
                .rootCause().hasMessageStartingWith("PAYRAIL_IDEMPOTENCY_RETENTION must be between 1m and 720h");
        assertThatThrownBy(() -> bind(Map.of("PAYRAIL_RELAY_BATCH", "1000000")))
                .rootCause().hasMessage("PAYRAIL_RELAY_BATCH must be between 1 and 10000 (is 1000000)");
        assertThatThrownBy(() -> bind(Map.of("PAYRAIL_TOPICS_PAYMENTS", "bad topic!")))
                .rootCause().hasMessageStartingWith("PAYRAIL_TOPICS_PAYMENTS must be a Kafka topic name");
    }

    @Test
    void theFirstAdminAccountSettingsBindAndGoTogether() {
        PayrailProperties settings = bind(Map.of("PAYRAIL_ADMIN_EMAIL", "ops@example.com",
                "PAYRAIL_ADMIN_PASSWORD", "a-long-enough-password", "PAYRAIL_ADMIN_SESSION_TIMEOUT", "2h",
                "PAYRAIL_ADMIN_LOGIN_ATTEMPTS", "3"));
        assertThat(settings.admin().email()).isEqualTo("ops@example.com");
        assertThat(settings.admin().sessionTimeout()).isEqualTo(Duration.ofHours(2));
        assertThat(settings.admin().loginAttempts()).isEqualTo(3);
        assertThat(settings.admin().toString()).doesNotContain("a-long-enough-password");
        assertThatThrownBy(() -> bind(Map.of("PAYRAIL_ADMIN_EMAIL", "ops@example.com")))
                .rootCause().hasMessageStartingWith("PAYRAIL_ADMIN_EMAIL and PAYRAIL_ADMIN_PASSWORD go together");
        assertThatThrownBy(() -> bind(Map.of("PAYRAIL_ADMIN_EMAIL", "ops@example.com", "PAYRAIL_ADMIN_PASSWORD", "short")))
                .rootCause().hasMessage("PAYRAIL_ADMIN_PASSWORD must have 12 to 200 characters");
        assertThatThrownBy(() -> bind(Map.of("PAYRAIL_ADMIN_LOGIN_ATTEMPTS", "0")))
                .rootCause().hasMessageStartingWith("PAYRAIL_ADMIN_LOGIN_ATTEMPTS must be between 1 and 1000");
    }
}
