package dev.payrail.platform;

import dev.payrail.platform.ApiProblem.FieldProblem;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads query-string parameters the same way on every route, recording a {@link FieldProblem} for a bad one
 * instead of throwing, so a handler reports every bad parameter at once (as {@link JsonFields} does for bodies).
 * Messages never echo the submitted value.
 */
public final class QueryParameters {

    /** The most rows one page of an operator's list carries (payments, refunds, webhook deliveries and events). */
    public static final int PAGE_LIMIT_MAX = 200;

    /** 9999-12-31T23:59:59Z in epoch seconds: a later time is no filter PostgreSQL can take. */
    public static final long EPOCH_SECONDS_MAX = 253_402_300_799L;

    private QueryParameters() {}

    /**
     * A whole number in [{@code min}, {@code max}] ({@code Long.MAX_VALUE}: no upper bound); null when the parameter
     * is absent or blank, or when it is not such a number, which records {@code out_of_range} for {@code field}.
     */
    public static @Nullable Long wholeNumber(String field, @Nullable String value, long min, long max,
                                             List<FieldProblem> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // recorded below
        }
        errors.add(new FieldProblem(field, "out_of_range", "Must be a whole number"
                + (max == Long.MAX_VALUE ? " of at least " + min : " from " + min + " to " + max) + "."));
        return null;
    }
}
