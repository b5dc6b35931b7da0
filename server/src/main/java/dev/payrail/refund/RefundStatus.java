package dev.payrail.refund;

import java.util.Locale;

/**
 * A refund's lifecycle and its transition table: {@code requested → succeeded | failed}, nothing after. Every
 * switch over it names every status, so a new status forces a decision everywhere.
 */
public enum RefundStatus {
    REQUESTED, SUCCEEDED, FAILED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RefundStatus fromWire(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** The transition table. */
    public boolean canMoveTo(RefundStatus next) {
        return switch (this) {
            case REQUESTED -> next == SUCCEEDED || next == FAILED;
            case SUCCEEDED, FAILED -> false;
        };
    }

    /** Whether the refund still counts against the payment's amount (its money has gone or may still go). */
    public boolean countsAgainstAmount() {
        return switch (this) {
            case REQUESTED, SUCCEEDED -> true;
            case FAILED -> false;
        };
    }
}
