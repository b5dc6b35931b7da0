package dev.payrail.platform;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds problem+json bodies the same way for controllers, servlet filters, the {@code /error} page and Tomcat's
 * own error reports, so that every refusal has one shape: type, title, status, detail and a stable code.
 */
public final class Problems {

    public static final String TYPE_BASE = "https://payrail.dev/problems/";
    /** Sent with every 503: the outages it reports (pool exhausted, a lock, a restart) last seconds. */
    public static final String RETRY_AFTER_SECONDS = "2";

    private Problems() {}

    public static ProblemDetail of(HttpStatus status, String code, String detail, List<ApiProblem.FieldProblem> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + code));
        problem.setTitle(status.getReasonPhrase());
        problem.setProperty("code", code);
        if (!errors.isEmpty()) {
            problem.setProperty("errors", errors);
        }
        return problem;
    }

    public static ProblemDetail of(ApiProblem problem) {
        return of(problem.status(), problem.code(), problem.getMessage(), problem.errors());
    }

    /**
     * The problem for a bare status set by Tomcat or the framework (a request line Tomcat could not parse, a body
     * that stopped arriving, an unknown path…). The detail is a fixed sentence: nothing from the request is echoed.
     */
    public static ProblemDetail forStatus(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        HttpStatus resolved = known != null ? known
                : status >= 500 ? HttpStatus.INTERNAL_SERVER_ERROR : HttpStatus.BAD_REQUEST;
        return switch (resolved) {
            case BAD_REQUEST -> of(resolved, "bad_request", "The request is malformed and was not processed.",
                    List.of());
            case UNAUTHORIZED -> of(resolved, "unauthorized", "Authentication is required.", List.of());
            case FORBIDDEN -> of(resolved, "forbidden", "This request is not allowed.", List.of());
            case NOT_FOUND -> of(resolved, "not_found", "No such resource.", List.of());
            case METHOD_NOT_ALLOWED -> of(resolved, "method_not_allowed",
                    "This method is not allowed here.", List.of());
            case NOT_ACCEPTABLE -> of(resolved, "not_acceptable", "This endpoint answers application/json.", List.of());
            case REQUEST_TIMEOUT -> of(resolved, "request_timeout", "The request did not arrive in time.", List.of());
            case LENGTH_REQUIRED -> of(resolved, "length_required", "Send a Content-Length.", List.of());
            case CONTENT_TOO_LARGE -> of(resolved, "body_too_large", "The body is too large.", List.of());
            case URI_TOO_LONG -> of(resolved, "uri_too_long", "The request target is too long.", List.of());
            case UNSUPPORTED_MEDIA_TYPE -> of(resolved, "unsupported_media_type",
                    "Send the body as application/json.", List.of());
            case EXPECTATION_FAILED -> of(resolved, "expectation_failed", "The Expect header is not supported.",
                    List.of());
            case REQUEST_HEADER_FIELDS_TOO_LARGE -> of(resolved, "headers_too_large",
                    "The request headers are too large.", List.of());
            case NOT_IMPLEMENTED -> of(resolved, "not_implemented", "This method is not implemented.", List.of());
            case SERVICE_UNAVAILABLE -> of(resolved, "temporarily_unavailable",
                    "The service is temporarily unavailable; retry shortly.", List.of());
            case HTTP_VERSION_NOT_SUPPORTED -> of(resolved, "http_version_not_supported",
                    "Use HTTP/1.1.", List.of());
            default -> resolved.is5xxServerError()
                    ? of(resolved, "internal_error", "An unexpected error occurred; it has been logged.", List.of())
                    : of(resolved, "bad_request", "The request cannot be served.", List.of());
        };
    }

    /** A fault of ours: the client gets the incident id to quote, and nothing else about it. */
    public static ProblemDetail internalError(String incidentId) {
        ProblemDetail problem = of(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
                "An unexpected error occurred; quote incident " + incidentId + " when reporting it.", List.of());
        problem.setProperty("incident_id", incidentId);
        return problem;
    }

    /**
     * The problem for an exception nobody handled: its own answer if it is an {@link ApiProblem}, a 503 if the
     * database did not answer, otherwise a fault, logged under a new incident id ({@code where} as for
     * {@link Incidents#record}).
     */
    public static ProblemDetail forFault(Throwable fault, String where) {
        Throwable cause = fault;
        while (cause instanceof ServletException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ApiProblem apiProblem) {
            return of(apiProblem);
        }
        if (DatabaseFaults.isUnavailable(cause)) {
            return of(temporarilyUnavailable());
        }
        return internalError(Incidents.record(cause, where));
    }

    /** The database did not answer in time; nothing was changed, and the same request may be sent again. */
    public static ApiProblem temporarilyUnavailable() {
        return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "temporarily_unavailable",
                "The service is temporarily unavailable; retry shortly.");
    }

    /** For filters, which run before Spring MVC's message converters. */
    public static void write(HttpServletResponse response, JsonMapper json, ApiProblem problem) throws IOException {
        write(response, json, of(problem));
    }

    /** Writes the problem with its status, content type and, for a 503, {@code Retry-After}. */
    public static void write(HttpServletResponse response, JsonMapper json, ProblemDetail problem) throws IOException {
        byte[] body = toJson(json, problem).getBytes(StandardCharsets.UTF_8);
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        if (problem.getStatus() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
            response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The problem as a JSON object, with its extension properties ({@code code}, …) at the top level. */
    public static String toJson(JsonMapper json, ProblemDetail problem) {
        Map<String, Object> flat = new LinkedHashMap<>();
        flat.put("type", String.valueOf(problem.getType()));
        flat.put("title", problem.getTitle());
        flat.put("status", problem.getStatus());
        flat.put("detail", problem.getDetail());
        if (problem.getProperties() != null) {
            flat.putAll(problem.getProperties());
        }
        return json.writeValueAsString(flat);
    }
}
