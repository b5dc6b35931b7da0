package dev.payrail.payment;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** A payment's past as its tables keep it: every acquirer attempt, and every status set by hand. Reads only. */
@Repository
@RequiredArgsConstructor
public class PaymentHistory {

    private final JdbcClient jdbc;

    /** An acquirer attempt: sent at {@code sentAt}, decided at {@code resolvedAt} (null while open). */
    public record Attempt(int attemptNo, String acquirer, String outcome, @Nullable String declineCode,
                          @Nullable String declineKind, @Nullable Integer latencyMs, Instant sentAt,
                          @Nullable Instant resolvedAt) {}

    /** A status set by an operator: from, to, why, who, when. */
    public record ManualChange(String fromStatus, String toStatus, String reason, String actor, Instant changedAt) {}

    public List<Attempt> attempts(UUID paymentId) {
        return jdbc.sql("""
                select attempt_no, acquirer, outcome, decline_code, decline_kind, latency_ms, created_at, resolved_at
                from payment_attempts where payment_id = ? order by attempt_no""")
                .param(paymentId)
                .query((rs, n) -> {
                    int latency = rs.getInt("latency_ms");
                    Integer latencyMs = rs.wasNull() ? null : latency;
                    Timestamp resolved = rs.getTimestamp("resolved_at");
                    return new Attempt(rs.getInt("attempt_no"), rs.getString("acquirer"), rs.getString("outcome"),
                            rs.getString("decline_code"), rs.getString("decline_kind"), latencyMs,
                            rs.getTimestamp("created_at").toInstant(), resolved == null ? null : resolved.toInstant());
                })
                .list();
    }

    public List<ManualChange> manualChanges(UUID paymentId) {
        return jdbc.sql("""
                select from_status, to_status, reason, actor, changed_at from payment_manual_changes
                where payment_id = ? order by changed_at, change_id""")
                .param(paymentId)
                .query((rs, n) -> new ManualChange(rs.getString("from_status"), rs.getString("to_status"),
                        rs.getString("reason"), rs.getString("actor"), rs.getTimestamp("changed_at").toInstant()))
                .list();
    }
}
