package dev.payrail.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.ApiProblem.FieldProblem;
import dev.payrail.support.Json;
import org.junit.jupiter.api.Test;

/** Knob changes: partial, range-checked, every bad field reported at once, nothing changed on refusal. */
class KnobsTest {

    private final Knobs knobs = SimulatorProfile.BETA.defaultKnobs(3_000);

    @Test
    void aPartialChangeKeepsTheOtherKnobs() {
        Knobs changed = knobs.with(Json.parse("{\"approval_rate\":0.5,\"latency_mean_ms\":10}"));

        assertThat(changed).isEqualTo(new Knobs(10, knobs.latencySpreadMs(), 0.5, knobs.errorRate(),
                knobs.timeoutRate(), knobs.lateAnswerMs()));
    }

    @Test
    void everyBadFieldIsReportedAtOnce() {
        assertThatThrownBy(() -> knobs.with(Json.parse(
                "{\"approval_rate\":1.5,\"latency_mean_ms\":-1,\"error_rate\":\"high\",\"colour\":\"blue\"}")))
                .isInstanceOfSatisfying(ApiProblem.class, problem -> {
                    assertThat(problem.code()).isEqualTo("validation_failed");
                    assertThat(problem.errors()).extracting(FieldProblem::field, FieldProblem::code)
                            .containsExactlyInAnyOrder(
                                    tuple("approval_rate", "out_of_range"),
                                    tuple("latency_mean_ms", "out_of_range"),
                                    tuple("error_rate", "out_of_range"),
                                    tuple("colour", "unknown_field"));
                });
    }

    @Test
    void errorAndTimeoutRatesTogetherMayNotExceedOne() {
        assertThatThrownBy(() -> knobs.with(Json.parse("{\"error_rate\":0.6,\"timeout_rate\":0.5}")))
                .isInstanceOfSatisfying(ApiProblem.class, problem ->
                        assertThat(problem.errors()).extracting(FieldProblem::field).containsExactly("error_rate"));
    }

    @Test
    void latencyAndLateAnswerHaveUpperLimits() {
        assertThatThrownBy(() -> knobs.with(Json.parse("{\"latency_spread_ms\":60001,\"late_answer_ms\":600001}")))
                .isInstanceOfSatisfying(ApiProblem.class, problem -> assertThat(problem.errors())
                        .extracting(FieldProblem::field).containsExactlyInAnyOrder("latency_spread_ms", "late_answer_ms"));
    }

    @Test
    void aBodyThatIsNotAnObjectIsRefused() {
        assertThatThrownBy(() -> knobs.with(Json.parse("[1,2]")))
                .isInstanceOfSatisfying(ApiProblem.class, problem -> assertThat(problem.code()).isEqualTo("invalid_body"));
    }
}
