package dev.payrail.routing;

import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import dev.payrail.platform.Worker;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The routes of this processing node: the rules and the acquirers' switches, held in memory so a payment costs
 * no query. Reloaded at once after a change made through this node, and otherwise when {@code routing_version}
 * moved, which it checks every {@code PAYRAIL_ROUTING_REFRESH} (2 s): a change made on another node reaches this
 * one within that interval (plus one reload).
 */
@Component
@ConditionalOnRole(Role.PROCESSING)
public class RoutingTable {

    private static final Logger log = LoggerFactory.getLogger(RoutingTable.class);

    /** One consistent view: rules in order, the disabled acquirers, and the version they were read at. */
    private record Snapshot(long version, List<RoutingRule> rules, Set<String> disabled) {}

    private final JdbcClient jdbc;
    private final RoutingRules rules;
    private final AcquirerStates states;
    private final List<String> defaultRoute;
    private volatile @Nullable Snapshot snapshot;

    RoutingTable(JdbcClient jdbc, RoutingRules rules, AcquirerStates states, PayrailProperties properties) {
        this.jdbc = jdbc;
        this.rules = rules;
        this.states = states;
        this.defaultRoute = List.copyOf(properties.processing().route());
    }

    @Bean
    Worker routingRefreshWorker(PayrailProperties properties, MeterRegistry meters) {
        return Worker.every(properties.routing().refresh(), "routing-refresh", meters, this::refreshIfChanged);
    }

    /**
     * The acquirers to offer this payment to, in order: the first enabled rule that matches decides (its targets,
     * the first drawn by weight, disabled acquirers left out); with no matching rule, the default route
     * ({@code PAYRAIL_PROCESSING_ROUTE}) without the disabled acquirers. May be empty: every acquirer of the
     * route is disabled.
     */
    public List<String> route(RoutingFacts facts) {
        Snapshot now = current();
        for (RoutingRule rule : now.rules()) {
            if (rule.matches(facts)) {
                return ordered(rule.targets(), now.disabled(), facts.paymentId());
            }
        }
        return defaultRoute.stream().filter(name -> !now.disabled().contains(name)).toList();
    }

    /** Reads rules and switches again now. */
    public void reload() {
        // The version first: a change committed between the two reads is read too, and reloaded again next time.
        long version = version();
        List<RoutingRule> all = rules.all();
        Set<String> disabled = new HashSet<>();
        states.switches().forEach((name, enabled) -> {
            if (!enabled) {
                disabled.add(name);
            }
        });
        snapshot = new Snapshot(version, List.copyOf(all), Set.copyOf(disabled));
        log.debug("routing table at version {}: {} rules, disabled {}", version, all.size(), disabled);
    }

    /**
     * Reloads after a change this node committed. A failure here must not turn a committed change into an error
     * answer: the periodic check loads it a moment later.
     */
    void reloadAfterLocalChange() {
        try {
            reload();
        } catch (RuntimeException e) {
            log.warn("routing table not reloaded after a change ({}); the next periodic check loads it", e.toString());
        }
    }

    void refreshIfChanged() {
        Snapshot known = snapshot;
        if (known == null || known.version() != version()) {
            reload();
        }
    }

    private Snapshot current() {
        Snapshot known = snapshot;
        if (known == null) {
            reload();
            known = snapshot;
        }
        return java.util.Objects.requireNonNull(known);
    }

    private long version() {
        return jdbc.sql("select version from routing_version").query(Long.class).single();
    }

    /** The enabled targets: the first drawn by weight for this payment, then the rest in their listed order. */
    static List<String> ordered(List<RoutingRule.Target> targets, Set<String> disabled, UUID paymentId) {
        List<RoutingRule.Target> enabled = targets.stream().filter(t -> !disabled.contains(t.acquirer())).toList();
        if (enabled.isEmpty()) {
            return List.of();
        }
        RoutingRule.Target first = draw(enabled, paymentId);
        List<String> route = new ArrayList<>(enabled.size());
        route.add(first.acquirer());
        enabled.stream().filter(t -> t != first).forEach(t -> route.add(t.acquirer()));
        return List.copyOf(route);
    }

    /**
     * A weighted draw that depends only on the payment id (and the targets), so processing the payment again —
     * a redelivered message, the janitor — chooses the same first acquirer.
     */
    static RoutingRule.Target draw(List<RoutingRule.Target> targets, UUID paymentId) {
        long total = targets.stream().mapToLong(RoutingRule.Target::weight).sum();
        if (total == 0) {
            return targets.getFirst(); // no weights: the targets are an ordered list
        }
        long point = Math.floorMod(mix(paymentId.getMostSignificantBits() ^ paymentId.getLeastSignificantBits()), total);
        for (RoutingRule.Target target : targets) {
            point -= target.weight();
            if (point < 0) {
                return target;
            }
        }
        throw new IllegalStateException("unreachable: the point lies below the sum of the weights");
    }

    /** SplitMix64's finaliser: every bit of the id moves the result, so ids close in time spread evenly. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** For tests: the first acquirer a rule with these targets would choose for this payment, all enabled. */
    public static String firstChoice(List<RoutingRule.Target> targets, UUID paymentId) {
        return draw(targets, paymentId).acquirer();
    }
}
