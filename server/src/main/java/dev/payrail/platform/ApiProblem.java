package dev.payrail.platform;

import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * A refusal the client can act on, rendered as RFC 9457 problem+json with a stable machine {@code code}.
 * Throwing it changes nothing: handlers validate before they write.
 */
public final class ApiProblem extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final List<FieldProblem> errors;

    public ApiProblem(HttpStatus status, String code, String detail) {
        this(status, code, detail, List.of());
    }

    public ApiProblem(HttpStatus status, String code, String detail, List<FieldProblem> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.errors = List.copyOf(errors);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<FieldProblem> errors() {
        return errors;
    }

    /** One rejected field: a JSON-pointer-like path, a stable code, and a sentence for humans. */
    public record FieldProblem(String field, String code, String message) {}

    public static ApiProblem validation(List<FieldProblem> errors) {
        return new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "validation_failed",
                "The request body has " + errors.size() + " invalid field" + (errors.size() == 1 ? "" : "s") + ".",
                errors);
    }

    public static ApiProblem notFound(String code, String detail) {
        return new ApiProblem(HttpStatus.NOT_FOUND, code, detail);
    }
}
