package dev.payrail.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.payrail.simulator.Decision.Result;
import dev.payrail.support.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The simulators' decisions, without HTTP or a database: seeded randomness and a fixed instant. */
class SimulatedAcquirerTest {

    private static final long SEED = 20_260_101L;
    private static final Instant NOW = Instant.parse("2026-06-15T10:00:00Z");
    private static final Duration LATE = Duration.ofSeconds(3);

    private static SimulatedAcquirer acquirer(SimulatorProfile profile) {
        return new SimulatedAcquirer(profile, LATE, new SplittableRandom(SEED));
    }

    private static Decision authorize(SimulatedAcquirer acquirer, String card) {
        return acquirer.decideAuthorization(card, 12, 2030, NOW);
    }

    @ParameterizedTest
    @EnumSource(SimulatorProfile.class)
    void theTestCardsHaveTheSameOutcomeOnEveryAcquirer(SimulatorProfile profile) {
        SimulatedAcquirer acquirer = acquirer(profile);
        Map<String, String> expected = Map.of(
                "4242424242424242", "APPROVED null null",
                "4000000000000002", "DECLINED generic_decline hard",
                "4000000000009995", "DECLINED insufficient_funds hard",
                "4000000000000069", "DECLINED expired_card hard",
                "4000000000000119", "ERROR processing_error soft",
                "4000000000000259", "APPROVED null null");
        expected.forEach((card, outcome) -> {
            Decision decision = authorize(acquirer, card);
            assertThat(decision.result() + " " + decision.code() + " " + decision.declineType())
                    .as(card).isEqualTo(outcome);
        });
    }

    @ParameterizedTest
    @EnumSource(SimulatorProfile.class)
    void theRetryCardIsDeclinedSoftlyOnAlphaAndApprovedElsewhere(SimulatorProfile profile) {
        Decision decision = authorize(acquirer(profile), "4000000000000101");

        if (profile == SimulatorProfile.ALPHA) {
            assertThat(decision).isEqualTo(Decision.declined("do_not_honor_retry", "soft", decision.delay()));
        } else {
            assertThat(decision.result()).isEqualTo(Result.APPROVED);
        }
    }

    @Test
    void theLateCardAnswersAfterTheLateDelayAndOtherCardsWithinTheLatency() {
        SimulatedAcquirer beta = acquirer(SimulatorProfile.BETA);

        assertThat(authorize(beta, "4000000000000259").delay()).isEqualTo(LATE);
        assertThat(authorize(beta, "4242424242424242").delay()).isBetween(Duration.ofMillis(40), Duration.ofMillis(200));
    }

    @Test
    void testCardsIgnoreTheRates() {
        SimulatedAcquirer alpha = acquirer(SimulatorProfile.ALPHA);
        alpha.changeKnobs(Json.parse("{\"approval_rate\":0,\"error_rate\":0.5,\"timeout_rate\":0.5}"));

        for (int i = 0; i < 50; i++) {
            assertThat(authorize(alpha, "4242424242424242").result()).isEqualTo(Result.APPROVED);
        }
    }

    @Test
    void theApprovalRateDecidesForOrdinaryCards() {
        SimulatedAcquirer gamma = acquirer(SimulatorProfile.GAMMA);
        gamma.changeKnobs(Json.parse("{\"approval_rate\":1}"));
        assertThat(IntStream.range(0, 200).mapToObj(i -> authorize(gamma, "5555555555554444").result()))
                .containsOnly(Result.APPROVED);

        gamma.changeKnobs(Json.parse("{\"approval_rate\":0}"));
        assertThat(IntStream.range(0, 200).mapToObj(i -> authorize(gamma, "5555555555554444").code()))
                .containsOnly("do_not_honor", "insufficient_funds", "generic_decline");
    }

    @Test
    void theDefaultRatesGiveAboutTheDocumentedShareOfApprovals() {
        SimulatedAcquirer alpha = acquirer(SimulatorProfile.ALPHA);

        long approved = IntStream.range(0, 10_000)
                .filter(i -> authorize(alpha, "5555555555554444").result() == Result.APPROVED).count();

        assertThat(approved).isBetween(8_300L, 8_700L);
    }

    @Test
    void theSameSeedGivesTheSameDecisionsAgain() {
        SimulatedAcquirer first = acquirer(SimulatorProfile.BETA);
        SimulatedAcquirer second = acquirer(SimulatorProfile.BETA);

        List<Decision> a = IntStream.range(0, 100).mapToObj(i -> authorize(first, "5555555555554444")).toList();
        List<Decision> b = IntStream.range(0, 100).mapToObj(i -> authorize(second, "5555555555554444")).toList();

        assertThat(a).isEqualTo(b);
    }

    @Test
    void failNextFailsExactlyTheNextNRequestsWhateverTheCard() {
        SimulatedAcquirer alpha = acquirer(SimulatorProfile.ALPHA);
        alpha.failNext(2);

        assertThat(authorize(alpha, "4242424242424242").result()).isEqualTo(Result.ERROR);
        assertThat(alpha.decideFollowUp().result()).isEqualTo(Result.ERROR);
        assertThat(authorize(alpha, "4242424242424242").result()).isEqualTo(Result.APPROVED);
        assertThat(alpha.failNextCount()).isZero();
    }

    @Test
    void timeoutNextMakesExactlyTheNextNAnswersLate() {
        SimulatedAcquirer alpha = acquirer(SimulatorProfile.ALPHA);
        alpha.timeoutNext(1);

        Decision late = authorize(alpha, "4242424242424242");
        Decision onTime = authorize(alpha, "4242424242424242");

        assertThat(late.result()).isEqualTo(Result.APPROVED);
        assertThat(late.delay()).isEqualTo(LATE);
        assertThat(onTime.delay()).isLessThan(LATE);
    }

    @Test
    void downLastsUntilItsInstantAndResetBringsItBack() {
        SimulatedAcquirer gamma = acquirer(SimulatorProfile.GAMMA);
        gamma.downUntil(NOW.plusSeconds(30));

        assertThat(gamma.isDown(NOW)).isTrue();
        assertThat(gamma.isDown(NOW.plusSeconds(30))).isFalse();

        gamma.reset();
        assertThat(gamma.isDown(NOW)).isFalse();
    }

    @Test
    void anExpiredCardIsDeclinedWhateverItsNumber() {
        Decision decision = acquirer(SimulatorProfile.ALPHA).decideAuthorization("4242424242424242", 5, 2026, NOW);

        assertThat(decision.result() + " " + decision.code()).isEqualTo("DECLINED expired_card");
    }

    @Test
    void resetRestoresTheDefaultKnobsAndTurnsEverySwitchOff() {
        SimulatedAcquirer beta = acquirer(SimulatorProfile.BETA);
        Knobs defaults = beta.knobs();
        beta.changeKnobs(Json.parse("{\"latency_mean_ms\":1000}"));
        beta.failNext(3);
        beta.timeoutNext(3);

        beta.reset();

        assertThat(beta.knobs()).isEqualTo(defaults);
        assertThat(beta.failNextCount() + beta.timeoutNextCount()).isZero();
    }
}
