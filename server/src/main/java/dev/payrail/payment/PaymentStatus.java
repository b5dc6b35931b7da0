package dev.payrail.payment;

import dev.payrail.platform.WireName;

/**
 * The payment lifecycle, with the prototype's wire names, and its transition table: a status may only move to
 * the ones {@link #canMoveTo} allows. Every switch over it names every status, so a new status forces a decision
 * everywhere.
 */
public enum PaymentStatus implements WireName {
    NEW, PROCESSING, APPROVED, DECLINED, FAILED;

    public static PaymentStatus fromWire(String name) {
        return WireName.fromWire(PaymentStatus.class, name);
    }

    /** The transition table. Final statuses move nowhere (refunds have their own lifecycle). */
    public boolean canMoveTo(PaymentStatus next) {
        return switch (this) {
            case NEW -> next == PROCESSING || next == DECLINED;
            case PROCESSING -> next == APPROVED || next == DECLINED || next == FAILED;
            case APPROVED, DECLINED, FAILED -> false;
        };
    }

    public boolean isFinal() {
        return switch (this) {
            case NEW, PROCESSING -> false;
            case APPROVED, DECLINED, FAILED -> true;
        };
    }
}
