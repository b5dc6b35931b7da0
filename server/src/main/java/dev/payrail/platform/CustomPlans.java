package dev.payrail.platform;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * For the operators' filtered lists, whose best plan depends on the filter's values: a status or type that is rare
 * is found through its index, a common one by reading newest first. After five executions of a prepared statement
 * PostgreSQL may settle on one generic plan for all values (the JDBC driver prepares a statement on the server from
 * its fifth use), and the generic plan of such a list reads everything for a rare value (the events of a rare type:
 * 200 ms instead of 5 at a million events). Planned for each call instead, within the caller's transaction.
 */
public final class CustomPlans {

    private CustomPlans() {}

    /** Plans every statement of the current transaction for its own parameter values; needs a transaction. */
    public static void forThisTransaction(JdbcClient jdbc) {
        jdbc.sql("set local plan_cache_mode = force_custom_plan").update();
    }
}
