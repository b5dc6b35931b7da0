package dev.payrail.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole application on a random port, in embedded mode: a real PostgreSQL and a real Kafka broker in a
 * fresh data directory under target/. Every class with this annotation shares one application context. The
 * processing janitor runs faster than by default. After each class, every admin change it made must be on
 * record ({@link EveryChangeAudited}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(EveryChangeAudited.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "payrail.data.dir=target/test-data/${random.uuid}",
                // The first admin account, as an operator would set it with PAYRAIL_ADMIN_EMAIL/PASSWORD.
                "payrail.admin.email=" + IntegrationTest.ADMIN_EMAIL, "payrail.admin.password=" + IntegrationTest.ADMIN_PASSWORD,
                // The janitor looks often and takes up payments soon, so tests of unknown outcomes end quickly.
                "payrail.processing.staleafter=3s",
                "payrail.processing.janitor=500ms",
                // (PAYRAIL_PROCESSING_NOT_FOUND_AFTER keeps its 60 s: under a loaded test machine a call can take
                // seconds to reach the simulator, and a "never heard of it" believed earlier sends the janitor on
                // to the next acquirer while the first may still approve.)
                // Tests send deliberate unknown outcomes (late and failing test cards); in this shared context they
                // must not open the shared adapters' circuits under other tests. AcquirerContractIT tests circuits
                // on clients of its own.
                "payrail.acquirers.alpha.circuit-window-calls=10000", "payrail.acquirers.alpha.circuit-minimum-calls=10000",
                "payrail.acquirers.beta.circuit-window-calls=10000", "payrail.acquirers.beta.circuit-minimum-calls=10000",
                "payrail.acquirers.gamma.circuit-window-calls=10000", "payrail.acquirers.gamma.circuit-minimum-calls=10000",
                // Webhooks: a schedule of seconds instead of days (about 7 s from first attempt to dead), short
                // time-outs and lease, and a small per-endpoint cap, so that outages, dead letters, crashes
                // mid-send and slow endpoints can be tested in seconds.
                "payrail.webhooks.schedule=0s,1s,1s,1s,2s,2s", "payrail.webhooks.timeout=4s",
                "payrail.webhooks.connect-timeout=1s", "payrail.webhooks.lease=8s",
                "payrail.webhooks.per-endpoint-max=4"})
public @interface IntegrationTest {

    String ADMIN_EMAIL = "admin@payrail.test";
    String ADMIN_PASSWORD = "correct-horse-battery-staple";
}
