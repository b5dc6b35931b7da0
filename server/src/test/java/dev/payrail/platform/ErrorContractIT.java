package dev.payrail.platform;

import static dev.payrail.support.Http.DEMO_KEY;
import static dev.payrail.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.payrail.support.FaultInjection;
import dev.payrail.support.Http;
import dev.payrail.support.IntegrationTest;
import dev.payrail.support.RawHttp;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Every error, whoever produces it (Tomcat before Spring runs, the framework, the {@code /error} page, a bug),
 * is problem+json with a stable code, and none of them writes request values or a stack trace for bad input.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class ErrorContractIT {

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    static List<Arguments> requestsTomcatRefuses() {
        String end = "\r\nHost: 127.0.0.1\r\nConnection: close";
        return List.of(
                Arguments.of("a raw brace in the request target", "GET /a{b HTTP/1.1" + end, 400, "bad_request"),
                Arguments.of("a NUL in the path", "GET /v1/%00 HTTP/1.1" + end, 400, "bad_request"),
                Arguments.of("an overlong UTF-8 slash in the path", "GET /v1/%C0%AF HTTP/1.1" + end, 400,
                        "bad_request"),
                Arguments.of("a control character in a header", "GET /health HTTP/1.1" + end + "\r\nX-Note: a\u0001b",
                        400, "bad_request"),
                Arguments.of("headers over 8 KiB", "GET /health HTTP/1.1" + end + "\r\nX-Big: " + "a".repeat(20_000),
                        400, "bad_request"),
                Arguments.of("an HTTP version Tomcat does not speak", "GET /health HTTP/9.9" + end, 505,
                        "http_version_not_supported"),
                Arguments.of("broken chunked framing", "POST /v1/payments HTTP/1.1" + end + "\r\nX-API-Key: "
                        + DEMO_KEY + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ",
                        400, "bad_request"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestsTomcatRefuses")
    void aRequestTomcatRefusesGetsAProblemInsteadOfAnHtmlPage(String name, String request, int status, String code) {
        RawHttp.Response response = RawHttp.exchange(port, request, new byte[0]);
        assertProblem(response, status, code);
    }

    @Test
    void aBodyThatStopsArrivingIs408RequestTimeout() {
        // Announces 100 bytes and sends 11; Tomcat gives up after the connection timeout (10 s).
        RawHttp.Response response = RawHttp.exchange(port, "POST /v1/payments HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: close\r\nX-API-Key: " + DEMO_KEY + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100", RawHttp.bytes("{\"amount\":1"));
        assertProblem(response, 408, "request_timeout");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "DELETE"})
    void theErrorPageAskedForDirectlyIsNotFound(String method) {
        RawHttp.Response response = RawHttp.exchange(port,
                method + " /error HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close", new byte[0]);
        assertProblem(response, 404, "not_found");
    }

    @Test
    void frameworkRefusalsHaveStableCodes() {
        assertProblem(http.get("/no/such/thing", Map.of()), 404, "not_found");
        assertProblem(http.get("/v1/payments", Map.of("X-API-Key", DEMO_KEY, "Accept", "text/html")), 406,
                "not_acceptable");
        assertProblem(http.get("/v1/payments?limit=many", Map.of("X-API-Key", DEMO_KEY)), 400, "invalid_parameter");

        RawHttp.Response wrongMethod = RawHttp.exchange(port, "DELETE /v1/payments HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "X-API-Key: " + DEMO_KEY + "\r\nConnection: close", new byte[0]);
        assertProblem(wrongMethod, 405, "method_not_allowed");
        assertThat(wrongMethod.header("Allow")).contains("GET").contains("POST");

        RawHttp.Response inventedMethod = RawHttp.exchange(port, "BREW /v1/payments HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "X-API-Key: " + DEMO_KEY + "\r\nConnection: close", new byte[0]);
        assertProblem(inventedMethod, 405, "method_not_allowed");
        assertThat(inventedMethod.body()).doesNotContain("BREW");

        HttpResponse<String> tooLarge = http.post("/v1/payments", Map.of("X-API-Key", DEMO_KEY,
                "Content-Type", "application/json"), "{\"x\":\"" + "y".repeat(70_000) + "\"}");
        assertProblem(tooLarge, 413, "body_too_large");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/health?x=%C0", "/actuator/health/readiness?x=%C0", "/actuator/prometheus?x=%C0",
            "/actuator/info?x=%00", "/health?x=%ZZ", "/v3/api-docs?x=%C0%AF", "/v1/payments?limit=%C0"})
    void badQueryBytesAreA400BeforeAnyHandlerRunsAndLeaveNothingInTheLog(String url, CapturedOutput output) {
        RawHttp.Response response = RawHttp.exchange(port, "GET " + url + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "X-API-Key: " + DEMO_KEY + "\r\nConnection: close", new byte[0]);
        assertProblem(response, 400, "invalid_query");
        // Until now each of these was a 500 and about 8 KB of stack trace in the log.
        assertThat(output.getAll()).doesNotContain("InvalidParameterException", "Character decoding failed",
                "invalid byte sequence", "incident");
    }

    @ParameterizedTest
    @ValueSource(strings = {"DELETE /v1/payments", "PUT /actuator/health", "POST /v1/payments?limit=1"})
    void aFormBodyWithBadEscapesIsNeverDecodedIntoAServerError(String methodAndPath, CapturedOutput output) {
        byte[] form = RawHttp.bytes("limit=%ZZ&x=%C0");
        RawHttp.Response response = RawHttp.exchange(port, methodAndPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: close\r\nX-API-Key: " + DEMO_KEY + "\r\nContent-Type: application/x-www-form-urlencoded"
                + "\r\nContent-Length: " + form.length, form);
        assertThat(response.status()).isBetween(400, 499);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(output.getAll()).doesNotContain("incident", "HttpMessageNotReadableException");
    }

    @Test
    void anUnexpectedExceptionInAHandlerIs500WithAnIncidentIdAndNothingInternal(CapturedOutput output) {
        assertInternalErrorLoggedOnce(http.get(FaultInjection.HANDLER_PATH, Map.of()), output);
    }

    @Test
    void anUnexpectedExceptionInAFilterIs500WithAnIncidentIdAndNothingInternal(CapturedOutput output) {
        assertInternalErrorLoggedOnce(http.get(FaultInjection.FILTER_PATH, Map.of()), output);
    }

    private static void assertInternalErrorLoggedOnce(HttpResponse<String> response, CapturedOutput output) {
        JsonNode problem = assertProblem(response, 500, "internal_error");
        String incident = problem.get("incident_id").asString();
        assertThat(incident).matches("[0-9a-f-]{36}");
        assertThat(response.body()).doesNotContain(FaultInjection.INTERNAL_DETAIL, "IllegalStateException", "at dev.");
        String log = output.getAll();
        assertThat(log.split("incident " + incident, -1)).as("log entries naming the incident").hasSize(2);
        assertThat(log.substring(log.indexOf("incident " + incident)))
                .contains("IllegalStateException: " + FaultInjection.INTERNAL_DETAIL)
                .contains("at dev.payrail.support.FaultInjection");
        assertThat(log).as("Tomcat's own report of the same exception").doesNotContain("threw exception");
    }
}
