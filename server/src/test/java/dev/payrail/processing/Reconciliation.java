package dev.payrail.processing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Payrail's books against the acquirers' (the simulators' ledger), for the payments of one order id: every
 * approved payment is exactly one approved (not voided) authorization at the acquirer Payrail names, and every
 * approved authorization at any acquirer is an approved payment there. Also: no payment has two approved
 * attempts.
 */
record Reconciliation(Set<String> payrailApprovals, Set<String> acquirerApprovals, List<String> doubleApprovals) {

    /** Reads both sides through {@code sql} (a {@link JdbcClient#sql} of a connection to the shared database). */
    static Reconciliation of(Function<String, JdbcClient.StatementSpec> sql, String orderId) {
        Set<String> payrail = new HashSet<>(sql.apply(
                        "select payment_id::text || '@' || acquirer from payments where order_id = ? and status = 'approved'")
                .param(orderId).query(String.class).list());
        List<String> acquirerRows = sql.apply("""
                        select l.reference || '@' || l.acquirer from simulator_ledger l
                        join payments p on p.payment_id::text = l.reference
                        where p.order_id = ? and l.kind = 'authorization' and l.status = 'approved'""")
                .param(orderId).query(String.class).list();
        List<String> doubles = sql.apply("""
                        select a.payment_id::text from payment_attempts a join payments p using (payment_id)
                        where p.order_id = ? and a.outcome = 'approved' group by a.payment_id having count(*) > 1""")
                .param(orderId).query(String.class).list();
        return new Reconciliation(payrail, new HashSet<>(acquirerRows), doubles);
    }

    /** What does not match, one line each; empty when the books agree. */
    List<String> mismatches() {
        List<String> lines = new ArrayList<>();
        payrailApprovals.stream().filter(a -> !acquirerApprovals.contains(a))
                .forEach(a -> lines.add("approved in Payrail, not at the acquirer: " + a));
        acquirerApprovals.stream().filter(a -> !payrailApprovals.contains(a))
                .forEach(a -> lines.add("approved at the acquirer, not in Payrail: " + a));
        doubleApprovals.forEach(p -> lines.add("two approved attempts: " + p));
        return lines;
    }
}
