package dev.payrail.platform;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import lombok.RequiredArgsConstructor;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code /error} page, in place of Spring Boot's JSON. The servlet container forwards here when it calls
 * {@code sendError} itself (a body that stopped arriving, broken chunked framing…) or an exception gets past
 * {@link FaultBarrierFilter}, so these answers are problem+json with a stable code too. Asked for directly,
 * {@code /error} is simply not found.
 */
@RestController
@RequiredArgsConstructor
class ProblemErrorController implements ErrorController {

    private final JsonMapper json;

    @RequestMapping("${server.error.path:/error}")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Throwable fault = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        ProblemDetail problem;
        if (!(status instanceof Integer code)) {
            problem = Problems.forStatus(HttpServletResponse.SC_NOT_FOUND);
        } else if (fault == null || code < 500) {
            // A status the container chose itself (408 for a body that stopped arriving, 400 for broken chunked
            // framing); the exception it attaches is the client's doing, not a fault of ours.
            problem = Problems.forStatus(code);
        } else {
            problem = Problems.forFault(fault, "the filter chain");
        }
        if (!response.isCommitted()) {
            response.reset();
        }
        Problems.write(response, json, problem);
    }
}
