package dev.payrail.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The API-key settings the README documents: their variables, defaults and ranges. */
class ApiKeySettingsTest {

    private static PayrailProperties bind(Map<String, Object> variables) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment", variables));
        return SettingsTable.bind(env);
    }

    @Test
    void aRotatedKeyWorksForADayAndLastUseIsWrittenEveryTenSecondsByDefault() {
        PayrailProperties settings = bind(Map.of());
        assertThat(settings.apiKeys().rotationGrace()).isEqualTo(Duration.ofHours(24));
        assertThat(settings.apiKeys().lastUsedFlush()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void theDocumentedVariablesSetThem() {
        PayrailProperties settings = bind(Map.of("PAYRAIL_API_KEYS_ROTATION_GRACE", "2h",
                "PAYRAIL_API_KEYS_LAST_USED_FLUSH", "30s"));
        assertThat(settings.apiKeys().rotationGrace()).isEqualTo(Duration.ofHours(2));
        assertThat(settings.apiKeys().lastUsedFlush()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aGraceAboveThirtyDaysIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> bind(Map.of("PAYRAIL_API_KEYS_ROTATION_GRACE", "31d")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("PAYRAIL_API_KEYS_ROTATION_GRACE");
    }
}
