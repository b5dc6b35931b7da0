package dev.payrail.webhook;

import java.time.Instant;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The delivery backlog as the operators' overview shows it: deliveries pending to enabled endpoints, counted up to
 * {@link #COUNT_MAX} (a console polls this every few seconds; counting a million-delivery backlog exactly would
 * read it all each time), and the oldest of them. Both read V14's partial index of pending deliveries by creation
 * time, so the oldest is the first entry that goes to an enabled endpoint.
 */
@Repository
@RequiredArgsConstructor
public class WebhookBacklog {

    /** Counted exactly up to here; above it the count is this plus one and says it is capped. */
    public static final int COUNT_MAX = 10_000;

    private final JdbcClient jdbc;

    /** {@code pending} is exact unless {@code capped}; {@code oldestCreatedAt} is null when nothing is pending. */
    public record Backlog(long pending, boolean capped, @Nullable Instant oldestCreatedAt) {}

    public Backlog now() {
        long pending = jdbc.sql("""
                        select count(*) from (select 1 from webhook_deliveries d
                            join webhook_endpoints e on e.endpoint_id = d.endpoint_id
                            where d.status = 'pending' and e.enabled limit :max) pending""")
                .param("max", COUNT_MAX + 1).query(Long.class).single();
        @Nullable Instant oldest = pending == 0 ? null : jdbc.sql("""
                        select d.created_at from webhook_deliveries d
                        join webhook_endpoints e on e.endpoint_id = d.endpoint_id
                        where d.status = 'pending' and e.enabled order by d.created_at limit 1""")
                .query((rs, n) -> rs.getTimestamp(1).toInstant()).optional().orElse(null);
        return new Backlog(pending, pending > COUNT_MAX, oldest);
    }
}
