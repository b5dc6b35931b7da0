package dev.payrail.routing;

import dev.payrail.platform.Ids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * The routing rules in PostgreSQL. Every change raises {@code routing_version} in its own transaction, so every
 * node's {@link RoutingTable} sees it at its next poll, and reloads this node's table at once.
 */
@Component
@RequiredArgsConstructor
public class RoutingRules {

    /** Put a limit on everything: every payment is matched against every rule. */
    public static final int RULES_MAX = 1000;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String COLUMNS = """
            rule_id, name, priority, enabled, merchant_id, currency, bin_from, bin_to, card_country, targets::text,
            created_at, updated_at""";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ObjectProvider<RoutingTable> localTable;

    /** Thrown when a rule would be one too many. */
    public static final class TooManyRulesException extends RuntimeException {
        TooManyRulesException() {
            super("at most " + RULES_MAX + " routing rules", null, false, false);
        }
    }

    /** Every rule, in the order they are tried: priority, then age. */
    public List<RoutingRule> all() {
        return jdbc.sql("select " + COLUMNS + " from routing_rules order by priority, rule_id")
                .query((rs, n) -> rule(rs)).list();
    }

    public Optional<RoutingRule> find(UUID ruleId) {
        return jdbc.sql("select " + COLUMNS + " from routing_rules where rule_id = ?").param(ruleId)
                .query((rs, n) -> rule(rs)).optional();
    }

    public RoutingRule create(RoutingRuleDraft draft) {
        Instant now = clock.instant();
        RoutingRule rule = draft.toRule(Ids.next(), now, now);
        changed(() -> {
            // Serialises concurrent creations on the version row, so the count below cannot be raced past.
            bumpVersion();
            long count = jdbc.sql("select count(*) from routing_rules").query(Long.class).single();
            if (count >= RULES_MAX) {
                throw new TooManyRulesException();
            }
            jdbc.sql("""
                    insert into routing_rules (rule_id, name, priority, enabled, merchant_id, currency, bin_from,
                                               bin_to, card_country, targets, created_at, updated_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)""")
                    .params(rule.ruleId(), rule.name(), rule.priority(), rule.enabled(), rule.merchantId(),
                            rule.currency(), rule.binFrom(), rule.binTo(), rule.cardCountry(), targets(rule),
                            Timestamp.from(now), Timestamp.from(now))
                    .update();
            return true;
        });
        return rule;
    }

    /** Replaces a rule's fields; empty when there is no such rule. */
    public Optional<RoutingRule> replace(UUID ruleId, RoutingRuleDraft draft) {
        Instant now = clock.instant();
        return Optional.ofNullable(changed(() -> {
            bumpVersion();
            RoutingRule before = jdbc.sql("select " + COLUMNS + " from routing_rules where rule_id = ? for update")
                    .param(ruleId).query((rs, n) -> rule(rs)).optional().orElse(null);
            if (before == null) {
                return null;
            }
            RoutingRule after = draft.toRule(ruleId, before.createdAt(), now);
            jdbc.sql("""
                    update routing_rules set name = ?, priority = ?, enabled = ?, merchant_id = ?, currency = ?,
                           bin_from = ?, bin_to = ?, card_country = ?, targets = ?::jsonb, updated_at = ?
                    where rule_id = ?""")
                    .params(after.name(), after.priority(), after.enabled(), after.merchantId(), after.currency(),
                            after.binFrom(), after.binTo(), after.cardCountry(), targets(after),
                            Timestamp.from(now), ruleId)
                    .update();
            return after;
        }));
    }

    /** Removes a rule; false when there was none. */
    public boolean delete(UUID ruleId) {
        return Boolean.TRUE.equals(changed(() -> {
            bumpVersion();
            return jdbc.sql("delete from routing_rules where rule_id = ?").param(ruleId).update() == 1;
        }));
    }

    /** Runs a change in one transaction, then has this node's table reload at once (other nodes poll). */
    private <T> @Nullable T changed(java.util.function.Supplier<@Nullable T> change) {
        T result = tx.execute(s -> change.get());
        localTable.ifAvailable(RoutingTable::reloadAfterLocalChange);
        return result;
    }

    private void bumpVersion() {
        jdbc.sql("update routing_version set version = version + 1").update();
    }

    private static String targets(RoutingRule rule) {
        ArrayNode array = JSON.createArrayNode();
        rule.targets().forEach(t -> array.addObject().put("acquirer", t.acquirer()).put("weight", t.weight()));
        return JSON.writeValueAsString(array);
    }

    private static RoutingRule rule(ResultSet rs) throws SQLException {
        List<RoutingRule.Target> targets = new ArrayList<>();
        for (JsonNode t : JSON.readTree(rs.getString(10))) {
            targets.add(new RoutingRule.Target(t.get("acquirer").asString(), t.get("weight").asInt()));
        }
        String currency = rs.getString(6);
        String country = rs.getString(9);
        return new RoutingRule(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3), rs.getBoolean(4),
                rs.getObject(5, UUID.class), currency, rs.getString(7), rs.getString(8), country, targets,
                rs.getTimestamp(11).toInstant(), rs.getTimestamp(12).toInstant());
    }
}
