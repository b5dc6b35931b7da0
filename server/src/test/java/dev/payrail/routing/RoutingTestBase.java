package dev.payrail.routing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Rules and switches are shared by every test of the JVM: each routing test starts and ends with none of its
 * rules, every acquirer enabled and the simulators reset ({@link RoutingScenario#reset()}).
 */
abstract class RoutingTestBase {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    RoutingScenario scenario;

    @BeforeEach
    void resetRouting() {
        scenario = new RoutingScenario(port, jdbc);
        scenario.reset();
    }

    @AfterEach
    void resetRoutingAfter() {
        scenario.reset();
    }
}
