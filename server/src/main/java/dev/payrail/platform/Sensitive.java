package dev.payrail.platform;

/** Holds a secret or card datum; {@code toString()} masks it so it cannot leak through logs or exceptions. */
public record Sensitive(String value) {

    @Override
    public String toString() {
        return "****";
    }
}
