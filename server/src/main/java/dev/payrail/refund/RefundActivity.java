package dev.payrail.refund;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Recent refunds for the operators' overview: refunds created per minute, by status. A range of
 * {@code refunds_created} (V5), so the window bounds the read, not the table.
 */
@Repository
@RequiredArgsConstructor
public class RefundActivity {

    private final JdbcClient jdbc;

    /** How many refunds of a status were created in one minute (the minute's start). */
    public record MinuteCount(Instant minute, RefundStatus status, long count) {}

    /** Refunds created at or after {@code since} (of one merchant, when given), by minute and status. */
    public List<MinuteCount> perMinute(Instant since, @Nullable UUID merchantId) {
        Map<String, Object> params = new HashMap<>();
        params.put("since", Timestamp.from(since));
        if (merchantId != null) {
            params.put("merchant", merchantId);
        }
        return jdbc.sql("select date_trunc('minute', created_at) as minute, status, count(*) as n from refunds"
                        + " where created_at >= :since" + (merchantId == null ? "" : " and merchant_id = :merchant")
                        + " group by 1, 2 order by 1, 2")
                .params(params)
                .query((rs, n) -> new MinuteCount(rs.getTimestamp("minute").toInstant(),
                        RefundStatus.fromWire(rs.getString("status")), rs.getLong("n")))
                .list();
    }
}
