package dev.payrail.payment;

import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.Role;
import dev.payrail.platform.Worker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Merges the pending list of the payments' trigram index ({@code payments_search_text}, the operators' q search)
 * into the index, off the intake path. New payments only append their trigrams to the pending list (V15 raises its
 * limit to 64 MB); left alone, PostgreSQL would merge the list inside whichever intake transaction overflows it and
 * stall that whole group commit. {@code gin_clean_pending_list} is PostgreSQL's own function for doing it outside;
 * several nodes calling it at once take turns on the index's metapage lock.
 *
 * <p>Where pg_trgm could not be installed there is no such index (V11) and this does nothing. Where the database
 * user does not own the index (it is not the one that ran the migrations), PostgreSQL refuses the call: said once
 * in the log, and the merging stays with PostgreSQL (inside the insert that overflows the 64 MB list).
 */
@Component
@ConditionalOnRole(Role.API)
class SearchIndexMerger {

    static final String INDEX = "payments_search_text";
    /** At 2,000 payments a second, 2 s of pending trigrams is a few MB: far below the 64 MB backstop of V15. */
    static final Duration INTERVAL = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(SearchIndexMerger.class);
    /** PostgreSQL's insufficient_privilege: only the index's owner may merge its pending list. */
    private static final String NOT_THE_OWNER = "42501";

    private final JdbcClient jdbc;
    private final Counter merged;
    private final AtomicBoolean refused = new AtomicBoolean();

    SearchIndexMerger(JdbcClient jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.merged = Counter.builder("payrail.payments.search.pending.pages.merged")
                .description("Pages of the q search index's pending list merged in the background")
                .register(meters);
    }

    /** Merges what is pending; the number of pending-list pages it merged (0 when there was no index). */
    long merge() {
        boolean indexed = jdbc.sql("select to_regclass('" + INDEX + "') is not null").query(Boolean.class).single();
        if (!indexed || refused.get()) {
            return 0;
        }
        try {
            long pages = jdbc.sql("select gin_clean_pending_list('" + INDEX + "'::regclass)").query(Long.class).single();
            merged.increment(pages);
            return pages;
        } catch (DataAccessException e) {
            if (!(e.getMostSpecificCause() instanceof java.sql.SQLException sql && NOT_THE_OWNER.equals(sql.getSQLState()))) {
                throw e;
            }
            if (refused.compareAndSet(false, true)) {
                log.warn("the database user does not own {}, so its pending list is merged by PostgreSQL inside the "
                        + "intake's inserts instead of in the background; run Payrail as the user that owns the "
                        + "schema (the one Flyway migrated with) to take that work off the intake", INDEX);
            }
            return 0;
        }
    }

    /** True once PostgreSQL refused this user the merge (it does not own the index). */
    boolean leftToPostgresql() {
        return refused.get();
    }

    @Bean
    Worker searchIndexMergerWorker(MeterRegistry meters) {
        return Worker.named("search-index-merger", meters)
                .idle(INTERVAL)
                .step(() -> {
                    merge();
                    return Worker.Outcome.IDLE;
                });
    }
}
