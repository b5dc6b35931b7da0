package dev.payrail.payment;

import dev.payrail.platform.WireName;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The attempts of payments at acquirers ({@code payment_attempts}). */
@Repository
@RequiredArgsConstructor
public class PaymentAttempts {

    private final JdbcClient jdbc;
    private final Clock clock;

    /** A payment's attempts in the order they were made. */
    public List<PaymentAttempt> of(UUID paymentId) {
        return jdbc.sql("""
                select payment_id, attempt_no, acquirer, reference, outcome, decline_code, decline_kind,
                       acquirer_reference, latency_ms, created_at
                from payment_attempts where payment_id = ? order by attempt_no""")
                .param(paymentId).query(PaymentAttempts::map).list();
    }

    /** The attempts of each of these payments, in the order they were made (one query for many). */
    public Map<UUID, List<PaymentAttempt>> ofAll(Collection<UUID> paymentIds) {
        if (paymentIds.isEmpty()) {
            return Map.of();
        }
        return jdbc.sql("""
                select payment_id, attempt_no, acquirer, reference, outcome, decline_code, decline_kind,
                       acquirer_reference, latency_ms, created_at
                from payment_attempts where payment_id = any (?) order by payment_id, attempt_no""")
                .param(paymentIds.toArray(UUID[]::new)).query(PaymentAttempts::map).list().stream()
                .collect(Collectors.groupingBy(PaymentAttempt::paymentId));
    }

    /**
     * Writes what became of an attempt (in the caller's transaction, if any). A decided outcome (approved,
     * declined, voided) is never overwritten by another worker's later "unknown" or "pending" on the same
     * attempt — the janitor and the consumer may both be on a payment — and only an approval can become voided.
     */
    public void resolve(UUID paymentId, int attemptNo, PaymentAttempt.Outcome outcome, @Nullable String declineCode,
                        @Nullable String declineKind, @Nullable String acquirerReference, @Nullable Integer latencyMs) {
        jdbc.sql("""
                update payment_attempts
                   set outcome = ?, decline_code = ?, decline_kind = ?,
                       acquirer_reference = coalesce(?, acquirer_reference),
                       latency_ms = coalesce(?, latency_ms), resolved_at = ?
                 where payment_id = ? and attempt_no = ?
                   and (outcome in ('sent', 'unknown', 'pending') or (outcome = 'approved' and ? = 'voided'))""")
                .params(outcome.wireName(), declineCode, declineKind, acquirerReference, latencyMs,
                        Timestamp.from(clock.instant()), paymentId, attemptNo, outcome.wireName())
                .update();
    }

    private static PaymentAttempt map(ResultSet rs, int row) throws SQLException {
        return new PaymentAttempt(rs.getObject("payment_id", UUID.class), rs.getInt("attempt_no"),
                rs.getString("acquirer"), rs.getString("reference"),
                WireName.fromWire(PaymentAttempt.Outcome.class, rs.getString("outcome")),
                rs.getString("decline_code"), rs.getString("decline_kind"), rs.getString("acquirer_reference"),
                (Integer) rs.getObject("latency_ms"), rs.getTimestamp("created_at").toInstant());
    }
}
