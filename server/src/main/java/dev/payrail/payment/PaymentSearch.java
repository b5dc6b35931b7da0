package dev.payrail.payment;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The operators' payment list (the prototype's {@code GET /admin-api/payments}): every filter is optional and they
 * combine with "and"; {@code createdFrom}/{@code createdTo} are inclusive; {@code text} is a substring of the
 * payment id, the idempotency key or the currency (case-insensitive).
 */
public record PaymentSearch(@Nullable UUID merchantId, @Nullable PaymentStatus status, @Nullable String currency,
                            @Nullable Long amountMin, @Nullable Long amountMax, @Nullable Instant createdFrom,
                            @Nullable Instant createdTo, @Nullable String text, int limit, long offset, Sort sort,
                            boolean ascending) {

    /**
     * Matches are counted exactly up to this many; above, the total is the database's estimate (an exact count
     * would read every match: about a second at a million payments).
     */
    public static final int EXACT_TOTAL_MAX = 10_000;

    public enum Sort { CREATED_AT, AMOUNT }

    /**
     * One page of the list and how many payments match in all: exact up to {@link #EXACT_TOTAL_MAX}, above it an
     * estimate ({@code totalIsEstimate}), never less than {@code EXACT_TOTAL_MAX + 1}.
     */
    public record Page(List<Listed> items, long total, boolean totalIsEstimate) {}

    /** A payment as listed to operators: with its merchant's webhook URL, as the prototype's list had it. */
    public record Listed(Payment payment, String merchantWebhookUrl) {}
}
