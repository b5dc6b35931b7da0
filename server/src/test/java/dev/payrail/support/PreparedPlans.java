package dev.payrail.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * What PostgreSQL planned for a session's prepared statements ({@code pg_prepared_statements}), for tests of the
 * statements that must run on their cached generic plan ({@code GroupCommit.onGenericPlans}).
 */
public final class PreparedPlans {

    private PreparedPlans() {}

    /** Work on a connection that may throw. */
    @FunctionalInterface
    public interface Work {
        void run(Connection connection) throws Exception;
    }

    /** Generic and custom plans built for a statement, so far in one session. */
    public record Plans(long generic, long custom) {

        /** [generic, custom] built since {@code earlier}. */
        public List<Long> since(Plans earlier) {
            return List.of(generic - earlier.generic, custom - earlier.custom);
        }
    }

    /**
     * Runs {@code work} on a pooled connection that prepares every statement as a named server-side statement from
     * its first call, so the server counts its plans; the connection gets its threshold and auto-commit back after.
     */
    public static void onServerPreparedStatements(DataSource dataSource, Work work) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            PGConnection pg = connection.unwrap(PGConnection.class);
            int threshold = pg.getPrepareThreshold();
            pg.setPrepareThreshold(1);
            try {
                work.run(connection);
            } finally {
                pg.setPrepareThreshold(threshold);
                connection.setAutoCommit(true);
            }
        }
    }

    /** The plans of this session's prepared statements whose text is {@code like} the pattern (none: 0 and 0). */
    public static Plans of(Connection connection, String like) throws SQLException {
        try (var statement = connection.prepareStatement("select coalesce(sum(generic_plans), 0),"
                + " coalesce(sum(custom_plans), 0) from pg_prepared_statements where statement like ?")) {
            statement.setString(1, like);
            try (var plans = statement.executeQuery()) {
                plans.next();
                return new Plans(plans.getLong(1), plans.getLong(2));
            }
        }
    }

    /** The session's {@code plan_cache_mode}. */
    public static String cacheMode(Connection connection) throws SQLException {
        try (var statement = connection.createStatement(); var mode = statement.executeQuery("show plan_cache_mode")) {
            mode.next();
            return mode.getString(1);
        }
    }
}
