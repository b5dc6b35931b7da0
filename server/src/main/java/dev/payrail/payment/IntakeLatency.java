package dev.payrail.payment;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import lombok.RequiredArgsConstructor;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/**
 * The intake's p99 latency, from the timer Spring MVC already records for every request
 * ({@code http.server.requests}), not from a timer of our own: for the intake's routes ({@code POST /v1/payments}
 * and the prototype's {@code POST /payments}) {@link #intakePercentiles()} asks Micrometer to keep the 99th
 * percentile too. Micrometer computes it on this node from a decaying window (its default: the last 2 minutes,
 * in 3 rotating HdrHistograms), so it follows the load as it changes; it is also exported as
 * {@code http_server_requests_seconds{quantile="0.99"}} for those routes only.
 *
 * <p>Each node measures only the requests it served: a node without the {@code api} role has no intake timer and
 * answers empty.
 */
@Component
@RequiredArgsConstructor
public class IntakeLatency {

    static final Set<String> INTAKE_URIS = Set.of("/v1/payments", "/payments");

    private final MeterRegistry meters;

    /** Adds the 99th percentile to the intake routes' request timers (static: a filter must exist before meters). */
    @Bean
    static MeterFilter intakePercentiles() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (isIntake(id)) {
                    return DistributionStatisticConfig.builder().percentiles(0.99).build().merge(config);
                }
                return config;
            }
        };
    }

    static boolean isIntake(Meter.Id id) {
        String uri = id.getTag("uri");
        return id.getName().equals("http.server.requests") && "POST".equals(id.getTag("method"))
                && uri != null && INTAKE_URIS.contains(uri);
    }

    /**
     * The p99 of successful intake requests over the recent window, in microseconds: the highest among the
     * intake's timers that succeeded (one per route and status); empty when none was recorded on this node.
     */
    public OptionalLong p99Micros() {
        OptionalLong worst = OptionalLong.empty();
        for (Timer timer : meters.find("http.server.requests").tag("method", "POST").tag("outcome", "SUCCESS").timers()) {
            if (!isIntake(timer.getId())) {
                continue;
            }
            for (ValueAtPercentile p : timer.takeSnapshot().percentileValues()) {
                long micros = Math.round(p.value(TimeUnit.MICROSECONDS));
                if (p.percentile() == 0.99 && micros > 0 && (worst.isEmpty() || worst.getAsLong() < micros)) {
                    worst = OptionalLong.of(micros);
                }
            }
        }
        return worst;
    }
}
