package dev.payrail.routing;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import lombok.RequiredArgsConstructor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The acquirers' runtime switch: a disabled acquirer is offered no new payment (inquiries and voids of payments it
 * already has still go to it). Stored in PostgreSQL; an acquirer without a row is enabled.
 */
@Component
@RequiredArgsConstructor
public class AcquirerStates {

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ObjectProvider<RoutingTable> localTable;

    /** The acquirers that have a switch set, by name; the others are enabled. */
    public Map<String, Boolean> switches() {
        Map<String, Boolean> states = new HashMap<>();
        jdbc.sql("select name, enabled from acquirer_states")
                .query(rs -> {
                    states.put(rs.getString(1), rs.getBoolean(2));
                });
        return states;
    }

    /** Turns an acquirer on or off for new payments, on every node within the routing table's refresh. */
    public void setEnabled(String name, boolean enabled) {
        tx.executeWithoutResult(s -> {
            jdbc.sql("""
                    insert into acquirer_states (name, enabled, updated_at) values (?, ?, ?)
                    on conflict (name) do update set enabled = excluded.enabled, updated_at = excluded.updated_at""")
                    .params(name, enabled, Timestamp.from(clock.instant())).update();
            jdbc.sql("update routing_version set version = version + 1").update();
        });
        localTable.ifAvailable(RoutingTable::reloadAfterLocalChange);
    }
}
