package dev.payrail.platform;

import dev.payrail.platform.ApiProblem.FieldProblem;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

/**
 * Reads typed fields from a JSON request body and records a {@link FieldProblem} for each bad one instead of
 * throwing, so a handler can report every problem of a body at once. Messages never echo the submitted value.
 */
public final class JsonFields {

    private JsonFields() {}

    /** The body itself, when it is a JSON object; anything else (an array, a number, nothing) is 400 invalid_body. */
    public static JsonNode object(@Nullable JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "invalid_body", "The body must be a JSON object.");
        }
        return body;
    }

    /** A string field: absent, null or blank is "required" when required, else null; too long or unstorable is refused. */
    public static String string(JsonNode node, String field, boolean required, int maxLength, List<FieldProblem> errors) {
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(required(field));
            }
            return null;
        }
        if (!node.isString()) {
            errors.add(new FieldProblem(field, "invalid_type", "Must be a string."));
            return null;
        }
        String value = node.asString();
        if (value.isBlank()) {
            if (required) {
                errors.add(new FieldProblem(field, "required", "Must not be empty."));
            }
            return null;
        }
        if (value.length() > maxLength) {
            errors.add(new FieldProblem(field, "too_long", "At most " + maxLength + " characters."));
            return null;
        }
        if (!Text.isStorable(value)) {
            errors.add(new FieldProblem(field, "invalid_characters",
                    "Must not contain control characters or invalid Unicode."));
            return null;
        }
        return value;
    }

    /** A required integer field within [min, max]. */
    public static Integer integer(JsonNode node, String field, int min, int max, List<FieldProblem> errors) {
        if (node == null || node.isNull()) {
            errors.add(required(field));
            return null;
        }
        if (!node.isIntegralNumber()) {
            errors.add(new FieldProblem(field, "invalid_type", "Must be an integer."));
            return null;
        }
        if (!node.canConvertToInt() || node.intValue() < min || node.intValue() > max) {
            errors.add(new FieldProblem(field, "out_of_range", "Must be between " + min + " and " + max + "."));
            return null;
        }
        return node.intValue();
    }

    /** A boolean field: absent or null is {@code absent}, where null means required (and its problem). */
    public static @Nullable Boolean bool(@Nullable JsonNode node, String field, @Nullable Boolean absent,
                                         List<FieldProblem> errors) {
        if (node == null || node.isNull()) {
            if (absent == null) {
                errors.add(required(field));
            }
            return absent;
        }
        if (!node.isBoolean()) {
            errors.add(new FieldProblem(field, "invalid_type", "Must be true or false."));
            return null;
        }
        return node.booleanValue();
    }

    /**
     * An optional object field: true when it is there to be read; absent or null is false, and anything but an
     * object is false with its problem.
     */
    public static boolean optionalObject(@Nullable JsonNode node, String field, List<FieldProblem> errors) {
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isObject()) {
            errors.add(new FieldProblem(field, "invalid_type", "Must be an object."));
            return false;
        }
        return true;
    }

    private static FieldProblem required(String field) {
        return new FieldProblem(field, "required", "This field is required.");
    }
}
