package dev.payrail.platform;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/** Builds problem+json bodies the same way for controllers and for servlet filters. */
public final class Problems {

    public static final String TYPE_BASE = "https://payrail.dev/problems/";

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

    /** For filters, which run before Spring MVC's message converters. */
    public static void write(HttpServletResponse response, JsonMapper json, ApiProblem problem) throws IOException {
        ProblemDetail body = of(problem);
        response.setStatus(problem.status().value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        Map<String, Object> flat = new java.util.LinkedHashMap<>();
        flat.put("type", body.getType().toString());
        flat.put("title", body.getTitle());
        flat.put("status", body.getStatus());
        flat.put("detail", body.getDetail());
        if (body.getProperties() != null) {
            flat.putAll(body.getProperties());
        }
        json.writeValue(response.getOutputStream(), flat);
    }
}
