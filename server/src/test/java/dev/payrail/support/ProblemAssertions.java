package dev.payrail.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;

/** Asserts the one shape every refusal has: problem+json with type, title, status, detail and a stable code. */
public final class ProblemAssertions {

    private ProblemAssertions() {}

    public static JsonNode assertProblem(HttpResponse<String> response, int status, String code) {
        return assertProblem(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body(), status, code);
    }

    public static JsonNode assertProblem(RawHttp.Response response, int status, String code) {
        return assertProblem(response.status(), String.valueOf(response.header("Content-Type")), response.body(),
                status, code);
    }

    private static JsonNode assertProblem(int actualStatus, String contentType, String body, int status,
                                          String code) {
        assertThat(actualStatus).as("status of %s", body).isEqualTo(status);
        assertThat(contentType).startsWith("application/problem+json");
        JsonNode problem = Json.parse(body);
        assertThat(problem.get("code").asString()).isEqualTo(code);
        assertThat(problem.get("type").asString()).isEqualTo("https://payrail.dev/problems/" + code);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("detail").asString()).isNotBlank();
        return problem;
    }
}
