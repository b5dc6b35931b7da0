package dev.payrail.platform;

import lombok.RequiredArgsConstructor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code database} health component, part of the readiness group: a node whose database does not answer
 * should get no traffic. It replaces Spring Boot's {@code db} indicator, whose validity check has no timeout and
 * so would hang the probe, not fail it, when the database freezes.
 */
@Component("databaseHealthIndicator")
@RequiredArgsConstructor
class DatabaseHealthIndicator implements HealthIndicator {

    private final DatabaseProbe probe;

    @Override
    public Health health() {
        String problem = probe.problem();
        return problem == null ? Health.up().build() : Health.down().withDetail("reason", problem).build();
    }
}
