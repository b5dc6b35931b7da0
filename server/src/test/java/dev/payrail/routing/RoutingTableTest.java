package dev.payrail.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The pure parts of routing: which rule matches a payment and in which order its targets come. */
class RoutingTableTest {

    private static final UUID MERCHANT = UUID.fromString("0b85ac22-a90a-4019-b0e7-9d07b672cf34");
    private static final Random SEEDED = new Random(42);

    @Test
    void theDrawDependsOnlyOnThePaymentIdSoARedispatchChoosesTheSameFirstAcquirer() {
        var targets = List.of(new RoutingRule.Target("alpha", 3), new RoutingRule.Target("beta", 1));
        for (int i = 0; i < 1000; i++) {
            UUID id = randomId();
            assertThat(RoutingTable.ordered(targets, Set.of(), id)).isEqualTo(RoutingTable.ordered(targets, Set.of(), id));
        }
    }

    @Test
    void everyWeightedTargetIsDrawnAndTheOthersFollowInTheirOrder() {
        var targets = List.of(new RoutingRule.Target("alpha", 1), new RoutingRule.Target("beta", 1),
                new RoutingRule.Target("gamma", 2));
        Map<String, Integer> firsts = new HashMap<>();
        for (int i = 0; i < 4000; i++) {
            List<String> route = RoutingTable.ordered(targets, Set.of(), randomId());
            assertThat(route).containsExactlyInAnyOrder("alpha", "beta", "gamma");
            assertThat(route.subList(1, 3)).isSortedAccordingTo(String::compareTo); // listed order after the first
            firsts.merge(route.getFirst(), 1, Integer::sum);
        }
        // Seeded ids: the shares are fixed numbers, here within a few percent of 1:1:2.
        assertThat(firsts.get("alpha")).isBetween(850, 1150);
        assertThat(firsts.get("beta")).isBetween(850, 1150);
        assertThat(firsts.get("gamma")).isBetween(1850, 2150);
    }

    @Test
    void aTargetWithoutWeightIsNeverFirstAndWithoutAnyWeightsTheListIsTheOrder() {
        var oneWeighted = List.of(new RoutingRule.Target("beta", 0), new RoutingRule.Target("gamma", 5));
        var unweighted = List.of(new RoutingRule.Target("gamma", 0), new RoutingRule.Target("alpha", 0));
        for (int i = 0; i < 1000; i++) {
            UUID id = randomId();
            assertThat(RoutingTable.ordered(oneWeighted, Set.of(), id)).containsExactly("gamma", "beta");
            assertThat(RoutingTable.ordered(unweighted, Set.of(), id)).containsExactly("gamma", "alpha");
        }
    }

    @Test
    void disabledAcquirersAreLeftOutAndADrawFallsOnTheEnabledOnes() {
        var targets = List.of(new RoutingRule.Target("alpha", 1), new RoutingRule.Target("beta", 1),
                new RoutingRule.Target("gamma", 0));
        for (int i = 0; i < 500; i++) {
            assertThat(RoutingTable.ordered(targets, Set.of("alpha"), randomId())).containsExactly("beta", "gamma");
        }
        assertThat(RoutingTable.ordered(targets, Set.of("alpha", "beta"), randomId())).containsExactly("gamma");
        assertThat(RoutingTable.ordered(targets, Set.of("alpha", "beta", "gamma"), randomId())).isEmpty();
    }

    @Test
    void aBinRangeComparesAsManyLeadingDigitsAsItHas() {
        RoutingRule eight = rule("42424240", "42424249");
        assertThat(eight.matches(facts("4242424242424242", null))).isTrue();
        assertThat(eight.matches(facts("4242425042424242", null))).isFalse();
        assertThat(eight.matches(facts("424242", null))).as("only a 6-digit BIN known").isFalse();
        assertThat(eight.matches(facts(null, null))).as("no card").isFalse();
        RoutingRule six = rule("400000", "409999");
        assertThat(six.matches(facts("4000000000000002", null))).isTrue();
        assertThat(six.matches(facts("4099990000000000", null))).as("upper bound included").isTrue();
        assertThat(six.matches(facts("4100000000000000", null))).isFalse();
        assertThat(six.matches(facts("400000", null))).as("the stored BIN suffices").isTrue();
    }

    @Test
    void everyConditionGivenMustHoldAndADisabledRuleMatchesNothing() {
        var rule = new RoutingRule(UUID.randomUUID(), "", 1, true, MERCHANT, "EUR", null, null, "DE",
                List.of(new RoutingRule.Target("beta", 1)), Instant.EPOCH, Instant.EPOCH);
        assertThat(rule.matches(facts(null, "DE"))).isTrue();
        assertThat(rule.matches(facts(null, "FR"))).isFalse();
        assertThat(rule.matches(facts(null, null))).as("no country known").isFalse();
        assertThat(rule.matches(new RoutingFacts(randomId(), UUID.randomUUID(), "EUR", null, "DE"))).isFalse();
        assertThat(rule.matches(new RoutingFacts(randomId(), MERCHANT, "USD", null, "DE"))).isFalse();
        var disabled = new RoutingRule(UUID.randomUUID(), "", 1, false, null, null, null, null, null,
                List.of(new RoutingRule.Target("beta", 1)), Instant.EPOCH, Instant.EPOCH);
        assertThat(disabled.matches(facts(null, null))).isFalse();
    }

    private static RoutingRule rule(String binFrom, String binTo) {
        return new RoutingRule(UUID.randomUUID(), "", 1, true, null, null, binFrom, binTo, null,
                List.of(new RoutingRule.Target("gamma", 1)), Instant.EPOCH, Instant.EPOCH);
    }

    private static RoutingFacts facts(String digits, String country) {
        return new RoutingFacts(randomId(), MERCHANT, "EUR", digits, country);
    }

    /** A version-7-shaped id: a timestamp in the high bits, random low bits, like the payment ids. */
    private static UUID randomId() {
        long msb = ((1_795_693_559_000L + SEEDED.nextInt(1_000_000)) << 16) | 0x7000 | SEEDED.nextInt(0x1000);
        long lsb = (SEEDED.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
