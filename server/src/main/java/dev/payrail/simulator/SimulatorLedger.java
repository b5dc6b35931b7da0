package dev.payrail.simulator;

import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.Role;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The simulators' books in PostgreSQL, so they outlive a restart (even a {@code kill -9}) and a test can check
 * Payrail against the acquirer's side after one. The primary key (acquirer, reference) is the idempotency: a
 * reference is booked once, and a repeat finds the first row.
 */
@Repository
@ConditionalOnRole(Role.SIMULATORS)
class SimulatorLedger {

    private static final String COLUMNS = "acquirer, reference, kind, authorization_reference, amount, currency, "
            + "status, code, decline_type, acquirer_reference, card_last4, created_at, updated_at";

    private final JdbcClient jdbc;

    SimulatorLedger(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A row per (kind, status, currency) of one acquirer's books: how many and how much. */
    record Total(String kind, String status, String currency, long count, long amount) {}

    /**
     * Books {@code entry} unless its reference is booked already; returns the row that was there first, or empty
     * when {@code entry} is now booked. Concurrent claims of one reference are serialised by the primary key.
     */
    Optional<LedgerEntry> claim(LedgerEntry entry) {
        int inserted = jdbc.sql("insert into simulator_ledger (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " on conflict (acquirer, reference) do nothing")
                .params(entry.acquirer(), entry.reference(), entry.kind(), text(entry.authorizationReference()),
                        entry.amount(), entry.currency(), entry.status(), text(entry.code()),
                        text(entry.declineType()), text(entry.acquirerReference()), text(entry.cardLast4()),
                        Timestamp.from(entry.createdAt()), Timestamp.from(entry.updatedAt()))
                .update();
        return inserted == 1 ? Optional.empty() : find(entry.acquirer(), entry.reference());
    }

    Optional<LedgerEntry> find(String acquirer, String reference) {
        return jdbc.sql("select " + COLUMNS + " from simulator_ledger where acquirer = ? and reference = ?")
                .params(acquirer, reference).query(SimulatorLedger::entry).optional();
    }

    /** The authorization row, locked until the end of the caller's transaction (refunds and voids). */
    Optional<LedgerEntry> lockAuthorization(String acquirer, String reference) {
        return jdbc.sql("select " + COLUMNS + " from simulator_ledger where acquirer = ? and reference = ?"
                        + " and kind = 'authorization' for update")
                .params(acquirer, reference).query(SimulatorLedger::entry).optional();
    }

    /** The sum of the approved refunds of an authorization. */
    long refundedAmount(String acquirer, String authorizationReference) {
        return jdbc.sql("select coalesce(sum(amount), 0) from simulator_ledger"
                        + " where acquirer = ? and authorization_reference = ? and kind = 'refund' and status = 'approved'")
                .params(acquirer, authorizationReference).query(Long.class).single();
    }

    /** Moves a row to its final status; returns the row as it is now. */
    LedgerEntry settle(String acquirer, String reference, String status, @Nullable String code,
                       @Nullable String declineType, Instant now) {
        return jdbc.sql("update simulator_ledger set status = ?, code = ?, decline_type = ?, updated_at = ?"
                        + " where acquirer = ? and reference = ? returning " + COLUMNS)
                .params(status, text(code), text(declineType), Timestamp.from(now), acquirer, reference)
                .query(SimulatorLedger::entry).single();
    }

    /**
     * Moves a row from {@code pending} to its final status; a row settled meanwhile (by an abandonment found on an
     * inquiry, say) keeps its status. Returns the row as it is now.
     */
    LedgerEntry settlePending(String acquirer, String reference, String status, @Nullable String code,
                              @Nullable String declineType, Instant now) {
        jdbc.sql("update simulator_ledger set status = ?, code = ?, decline_type = ?, updated_at = ?"
                        + " where acquirer = ? and reference = ? and status = 'pending'")
                .params(status, text(code), text(declineType), Timestamp.from(now), acquirer, reference)
                .update();
        return find(acquirer, reference).orElseThrow();
    }

    /** The newest {@code limit} rows of one acquirer's books. */
    List<LedgerEntry> newest(String acquirer, int limit) {
        return jdbc.sql("select " + COLUMNS + " from simulator_ledger where acquirer = ?"
                        + " order by created_at desc, reference limit ?")
                .params(acquirer, limit).query(SimulatorLedger::entry).list();
    }

    List<Total> totals(String acquirer) {
        return jdbc.sql("select kind, status, currency, count(*) as count, sum(amount) as amount from simulator_ledger"
                        + " where acquirer = ? group by kind, status, currency order by kind, status, currency")
                .param(acquirer)
                .query((rs, row) -> new Total(rs.getString("kind"), rs.getString("status"), rs.getString("currency"),
                        rs.getLong("count"), rs.getLong("amount")))
                .list();
    }

    /**
     * A text parameter that may be null, bound as text either way. An untyped null is sent to PostgreSQL with no
     * type and a string as {@code varchar}, and the driver prepares a statement once per combination of parameter
     * types: an approval (no decline code) and a decline would each find the other's server-side statement
     * unusable and have it parsed and planned again ({@code bench/statements.sh} showed 0.64 plans per call).
     */
    private static SqlParameterValue text(@Nullable String value) {
        return new SqlParameterValue(Types.VARCHAR, value);
    }

    private static LedgerEntry entry(ResultSet rs, int row) throws SQLException {
        return new LedgerEntry(rs.getString("acquirer"), rs.getString("reference"), rs.getString("kind"),
                rs.getString("authorization_reference"), rs.getLong("amount"), rs.getString("currency"),
                rs.getString("status"), rs.getString("code"), rs.getString("decline_type"),
                rs.getString("acquirer_reference"), rs.getString("card_last4"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }
}
