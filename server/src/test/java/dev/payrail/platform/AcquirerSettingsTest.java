package dev.payrail.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The per-acquirer settings bind from their documented variables and refuse values out of range. */
class AcquirerSettingsTest {

    private static PayrailProperties bind(Map<String, Object> variables) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment", variables));
        return SettingsTable.bind(env);
    }

    @Test
    void eachAcquirerBindsFromItsOwnVariables() {
        PayrailProperties settings = bind(Map.of(
                "PAYRAIL_ACQUIRERS_ALPHA_URL", "http://simulators:8000/simulators/acquirers/alpha",
                "PAYRAIL_ACQUIRERS_BETA_TIMEOUT", "5s",
                "PAYRAIL_ACQUIRERS_BETA_CONNECT_TIMEOUT", "250ms",
                "PAYRAIL_ACQUIRERS_GAMMA_CONCURRENT_CALLS_MAX", "8",
                "PAYRAIL_ACQUIRERS_GAMMA_CIRCUIT_FAILURE_RATE_PERCENT", "25",
                "PAYRAIL_ACQUIRERS_GAMMA_CIRCUIT_WINDOW_CALLS", "50",
                "PAYRAIL_ACQUIRERS_GAMMA_CIRCUIT_MINIMUM_CALLS", "5",
                "PAYRAIL_ACQUIRERS_GAMMA_CIRCUIT_OPEN_DURATION", "30s",
                "PAYRAIL_ACQUIRERS_GAMMA_CIRCUIT_HALF_OPEN_CALLS", "2"));

        var acquirers = settings.acquirers();
        assertThat(acquirers.alpha().url()).isEqualTo("http://simulators:8000/simulators/acquirers/alpha");
        assertThat(acquirers.beta().timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(acquirers.beta().connectTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(acquirers.gamma()).isEqualTo(new PayrailProperties.Acquirers.Acquirer("", Duration.ofSeconds(2),
                Duration.ofSeconds(1), 8, 25, 50, 5, Duration.ofSeconds(30), 2));
        assertThat(acquirers.byName()).containsOnlyKeys("alpha", "beta", "gamma");
    }

    @Test
    void theDefaultsCallThisNodesSimulatorsWithinTwoSeconds() {
        var alpha = bind(Map.of()).acquirers().alpha();

        assertThat(alpha).isEqualTo(new PayrailProperties.Acquirers.Acquirer("", Duration.ofSeconds(2),
                Duration.ofSeconds(1), 512, 50, 20, 10, Duration.ofSeconds(10), 3));
    }

    /**
     * A node's payments in flight must fit every acquirer's bulkhead by default: otherwise a burst is refused unsent
     * by this node's own bulkhead and cascades (or fails) only because the node sent too many at once.
     */
    @Test
    void theDefaultPaymentsInFlightFitEveryAcquirersBulkhead() {
        var settings = bind(Map.of());

        assertThat(settings.processing().inFlightMax()).isEqualTo(512);
        assertThat(settings.acquirers().byName().values())
                .allSatisfy(acquirer -> assertThat(acquirer.concurrentCallsMax())
                        .isGreaterThanOrEqualTo(settings.processing().inFlightMax()));
    }

    @Test
    void valuesOutOfRangeAreRefusedNamingTheVariable() {
        assertThatThrownBy(() -> bind(Map.of("PAYRAIL_ACQUIRERS_BETA_TIMEOUT", "0s")))
                .rootCause().hasMessage("PAYRAIL_ACQUIRERS_BETA_TIMEOUT must be between 0.05s and 2m (is 0s)");
        assertThatThrownBy(() -> bind(Map.of("PAYRAIL_ACQUIRERS_GAMMA_CIRCUIT_FAILURE_RATE_PERCENT", "101")))
                .rootCause().hasMessage("PAYRAIL_ACQUIRERS_GAMMA_CIRCUIT_FAILURE_RATE_PERCENT must be between 1 and 100 (is 101)");
        assertThatThrownBy(() -> bind(Map.of("PAYRAIL_ACQUIRERS_ALPHA_URL", "ftp://acquirer.example")))
                .rootCause().hasMessage("PAYRAIL_ACQUIRERS_ALPHA_URL must be an absolute http or https URL");
    }
}
