package dev.payrail.platform;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import lombok.RequiredArgsConstructor;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * Replaces Tomcat's HTML error report with problem+json. Tomcat answers some requests before Spring runs at all
 * (a request line, path or header it cannot parse, an unsupported HTTP version); this valve gives those answers
 * the same shape and codes as the rest of the API, and, like the rest, echoes nothing from the request.
 */
@RequiredArgsConstructor
public class ProblemErrorReportValve extends ErrorReportValve {

    private final JsonMapper json;

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // As the HTML report: only errors, only when nobody wrote a body, and only once.
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        // Tomcat attaches the parse error to a 400 it chose itself; only a 5xx with an exception is a fault.
        ProblemDetail problem = throwable == null || status < 500 ? Problems.forStatus(status)
                : Problems.internalError(Incidents.record(throwable, "the servlet container"));
        try {
            response.setStatus(problem.getStatus());
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            if (problem.getStatus() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
                response.setHeader(HttpHeaders.RETRY_AFTER, Problems.RETRY_AFTER_SECONDS);
            }
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                writer.write(Problems.toJson(json, problem));
                response.finishResponse();
            }
        } catch (Exception e) {
            // The client is gone or the connection is broken; there is nobody left to answer.
        }
    }
}
