package dev.payrail.payment;

import java.util.Locale;

/** The payment lifecycle, with the prototype's wire names. */
public enum PaymentStatus {
    NEW, PROCESSING, APPROVED, DECLINED, FAILED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PaymentStatus fromWire(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
