package dev.payrail.simulator;

import dev.payrail.platform.BatchInsert;
import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.GroupCommit;
import dev.payrail.platform.Role;
import dev.payrail.platform.Worker;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.jdbc.support.SQLStateSQLExceptionTranslator;
import org.springframework.stereotype.Repository;

/**
 * The simulators' books in PostgreSQL, so they outlive a restart (even a {@code kill -9}) and a test can check
 * Payrail against the acquirer's side after one. The primary key (acquirer, reference) is the idempotency: a
 * reference is booked once, and a repeat finds the first row.
 */
@Repository
@ConditionalOnRole(Role.SIMULATORS)
class SimulatorLedger {

    private static final BatchInsert<LedgerEntry> BOOKINGS = BatchInsert.ofRecord("simulator_ledger", LedgerEntry.class);
    private static final String COLUMNS = BOOKINGS.columnNames();
    private static final String BOOK_BATCH = BOOKINGS.sql("",
            "on conflict (acquirer, reference) do nothing returning acquirer, reference");
    private static final SQLExceptionTranslator ERRORS = new SQLStateSQLExceptionTranslator();
    private static final int WRITER_THREADS = 2;
    private static final int QUEUE_MAX = 10_000;
    private static final int BATCH_MAX = 256;

    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final GroupCommit<Booking> bookings;

    SimulatorLedger(JdbcClient jdbc, DataSource dataSource, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.bookings = new GroupCommit<>("simulator-ledger-writer", WRITER_THREADS, QUEUE_MAX, BATCH_MAX, meters,
                Booking::booked, () -> new BookingFailedException("the simulator's ledger writer is full or stopping",
                        null), this::write);
    }

    /** A row per (kind, status, currency) of one acquirer's books: how many and how much. */
    record Total(String kind, String status, String currency, long count, long amount) {}

    /**
     * Books {@code entry} unless its reference is booked already; returns the row that was there first, or empty
     * when {@code entry} is now booked (durably: after the commit). Concurrent claims of one reference are
     * serialised by the primary key. Claims from concurrent calls share one statement and one commit (group
     * commit): under load every authorization was a transaction of its own, about one commit in four of a
     * payment's.
     */
    Optional<LedgerEntry> claim(LedgerEntry entry) {
        Booking booking = new Booking(entry, new CompletableFuture<>());
        bookings.submit(booking);
        boolean booked = GroupCommit.await(booking.booked(),
                cause -> new BookingFailedException("booking " + entry.reference() + " failed", cause));
        return booked ? Optional.empty() : find(entry.acquirer(), entry.reference());
    }

    /** A claim waiting for the writer: the row, and whether it was booked (false: its reference was there first). */
    record Booking(LedgerEntry entry, CompletableFuture<Boolean> booked) {
        Key key() {
            return new Key(entry.acquirer(), entry.reference());
        }
    }

    /** The ledger's primary key. */
    record Key(String acquirer, String reference) {}

    /** A claim the writer could not book (the database failed, or the writer is full or stopping). */
    static final class BookingFailedException extends RuntimeException {
        BookingFailedException(String message, @Nullable Throwable cause) {
            super(message, cause);
        }
    }

    /** Writer threads booking claims, many per transaction ({@link GroupCommit}). */
    @Bean
    Worker simulatorLedgerWorker() {
        return bookings.worker();
    }

    private void write(List<Booking> batch) {
        // Keyed by reference: a repeat in the same batch goes in the next statement, where it conflicts with the
        // row booked here (GroupCommit.writeEach).
        GroupCommit.writeEach(dataSource, batch, Booking::key, Booking::booked, SimulatorLedger::bookBatch,
                SimulatorLedger::failed, size -> {});
    }

    /** The exception a caller whose booking failed gets: Spring's, as a single insert through JdbcClient threw. */
    private static RuntimeException failed(Booking booking, SQLException e) {
        RuntimeException translated = ERRORS.translate("booking " + booking.entry().reference(), BOOK_BATCH, e);
        return translated != null ? translated : new BookingFailedException("booking failed", e);
    }

    static Set<Key> bookBatch(Connection connection, List<Booking> batch) throws SQLException {
        GroupCommit.onGenericPlans(connection);
        Set<Key> booked = new HashSet<>();
        try (PreparedStatement ps = connection.prepareStatement(BOOK_BATCH)) {
            BOOKINGS.bind(ps, 1, batch.stream().map(Booking::entry).toList());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    booked.add(new Key(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return booked;
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
