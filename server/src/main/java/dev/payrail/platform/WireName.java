package dev.payrail.platform;

import java.util.Locale;

/**
 * An enum spelled on the wire (JSON, database, metrics tags) as its name in lower case: {@code APPROVED} is
 * {@code "approved"}. One home for both directions, so no enum spells itself differently.
 */
public interface WireName {

    /** The enum constant's name (every enum has it). */
    String name();

    default String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant of {@code type} spelled {@code wire}; {@link IllegalArgumentException} when there is none. */
    static <E extends Enum<E> & WireName> E fromWire(Class<E> type, String wire) {
        return Enum.valueOf(type, wire.toUpperCase(Locale.ROOT));
    }
}
