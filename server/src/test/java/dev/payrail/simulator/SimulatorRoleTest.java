package dev.payrail.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The simulators' routes exist only on a node with the {@code simulators} role. */
class SimulatorRoleTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(SimulatorController.class, Simulators.class, SimulatorLedger.class);

    @Test
    void aNodeWithoutTheSimulatorsRoleHasNoSimulatorBeans() {
        context.withPropertyValues("payrail.roles=api,processing").run(node -> {
            assertThat(node).hasNotFailed();
            assertThat(node).doesNotHaveBean(SimulatorController.class);
            assertThat(node).doesNotHaveBean(Simulators.class);
            assertThat(node).doesNotHaveBean(SimulatorLedger.class);
        });
    }

    @Test
    void aNodeWithTheSimulatorsRoleWantsThem() {
        // Without a database the ledger cannot be built: proof that the role switched the beans on.
        context.withPropertyValues("payrail.roles=simulators").run(node ->
                assertThat(node).getFailure().hasMessageContaining("simulatorController"));
    }
}
