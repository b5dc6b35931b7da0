package dev.payrail.platform;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code where} clause of a filtered list and its named parameters, built condition by condition: a filter
 * left out of the request adds nothing. Conditions are SQL written here in the code, never text from a request;
 * values only ever travel as bound parameters.
 */
public final class SqlFilter {

    private final StringBuilder where = new StringBuilder(" where true");
    private final Map<String, Object> params = new HashMap<>();

    /**
     * Adds {@code and condition}, binding {@code :name} to {@code value}, when the value is given; an
     * {@link Instant} is bound as a timestamp.
     */
    public SqlFilter and(String condition, String name, @Nullable Object value) {
        if (value != null) {
            where.append(" and ").append(condition);
            params.put(name, value instanceof Instant instant ? Timestamp.from(instant) : value);
        }
        return this;
    }

    /** Adds {@code and condition} as it is; its parameters are bound with {@link #bind}. */
    public SqlFilter and(String condition) {
        where.append(" and ").append(condition);
        return this;
    }

    /** Binds {@code :name} for a condition added as it is, or for the rest of the statement (a limit, an offset). */
    public SqlFilter bind(String name, Object value) {
        params.put(name, value);
        return this;
    }

    /** {@code " where true and …"}, to append after the {@code from} clause. */
    public String where() {
        return where.toString();
    }

    /** The named parameters of every condition added, and of every {@link #bind} (read-only: bind adds more). */
    public Map<String, Object> params() {
        return Collections.unmodifiableMap(params);
    }
}
