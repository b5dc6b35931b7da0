package dev.payrail.platform;

/** A setting has a value outside what it allows; the message names the environment variable and the range. */
public final class InvalidSettingException extends IllegalArgumentException {

    public InvalidSettingException(String message) {
        super(message);
    }
}
