package dev.payrail;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * The top-level packages are the modules (platform, embedded, merchant, payment, idempotency, outbox, vault, admin),
 * each naming in its package-info.java the modules it may use.
 * A module may use another's top-level types only, never its sub-packages, and there are no cycles.
 */
class ModularityTests {

    private final ApplicationModules modules = ApplicationModules.of(PayrailApplication.class);

    @Test
    void modulesRespectTheirBoundariesAndHaveNoCycles() {
        modules.verify();
    }

    @Test
    void moduleDiagramIsRenderedIntoTheDocs() {
        new Documenter(modules, Documenter.Options.defaults().withOutputFolder("../docs/modules"))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml();
    }
}
