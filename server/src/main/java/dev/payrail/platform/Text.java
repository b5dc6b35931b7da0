package dev.payrail.platform;

import java.util.Locale;

/** Checks on text from clients before it reaches the database. */
public final class Text {

    private Text() {}

    /**
     * False for text PostgreSQL cannot store or would store altered: NUL and other C0 control characters (tab,
     * line feed and carriage return excepted) and unpaired UTF-16 surrogates. Refusing them up front keeps one
     * bad value from failing the group-commit batch it would have joined.
     */
    public static boolean isStorable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** A camel-case name in snake case: {@code paymentId} is {@code payment_id} (as columns and variables spell it). */
    public static String snakeCase(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
