package dev.payrail.refund;

import dev.payrail.platform.WireName;

/**
 * A refund's lifecycle and its transition table: {@code requested → succeeded | failed}, nothing after. Every
 * switch over it names every status, so a new status forces a decision everywhere.
 */
public enum RefundStatus implements WireName {
    REQUESTED, SUCCEEDED, FAILED;

    public static RefundStatus fromWire(String name) {
        return WireName.fromWire(RefundStatus.class, name);
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
