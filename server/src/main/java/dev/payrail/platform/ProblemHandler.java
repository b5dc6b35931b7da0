package dev.payrail.platform;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every failure into problem+json with a stable code. Bad input never becomes a 500; a database that does
 * not answer is a 503; only a genuine fault is a 500, with an incident id in the answer and in the log, and no
 * internals in the body.
 */
@RestControllerAdvice
public class ProblemHandler {

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> apiProblem(ApiProblem problem) {
        return render(Problems.of(problem));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> unsupportedMediaType(HttpMediaTypeNotSupportedException e) {
        return render(Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                "Send the body as application/json.", List.of()));
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ProblemDetail> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return render(Problems.of(HttpStatus.NOT_ACCEPTABLE, "not_acceptable",
                "This endpoint answers application/json.", List.of()));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        return render(Problems.of(HttpStatus.BAD_REQUEST, "malformed_json", "The body is not valid JSON.", List.of()));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> methodNotAllowed(HttpRequestMethodNotSupportedException e) {
        // The method is not echoed: Tomcat accepts any token there, so it is the client's text.
        var allowed = e.getSupportedHttpMethods();
        return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .allow(allowed == null ? new HttpMethod[0] : allowed.toArray(HttpMethod[]::new))
                .body(Problems.forStatus(HttpStatus.METHOD_NOT_ALLOWED.value()));
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<ProblemDetail> missingHeader(MissingRequestHeaderException e) {
        return render(Problems.of(HttpStatus.BAD_REQUEST, "missing_header",
                "Header " + e.getHeaderName() + " is required.", List.of()));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> badParameter(MethodArgumentTypeMismatchException e) {
        return render(Problems.of(HttpStatus.BAD_REQUEST, "invalid_parameter",
                "Parameter " + e.getName() + " has an invalid value.", List.of()));
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noResource(NoResourceFoundException e) {
        return render(Problems.of(HttpStatus.NOT_FOUND, "not_found", "No such resource.", List.of()));
    }

    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ProblemDetail> undecodableParameter(InvalidParameterException e) {
        // StrictRequestFilter refuses such queries first; this keeps a stack trace out of the log if one slips by.
        return render(Problems.of(HttpStatus.BAD_REQUEST, "invalid_query",
                "The query string must be UTF-8, percent-encoded, without control characters.", List.of()));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        if (e instanceof ErrorResponse framework && framework.getStatusCode().is4xxClientError()) {
            // A client error Spring MVC already classified (missing parameter, unknown handler, …).
            return render(Problems.forStatus(framework.getStatusCode().value()));
        }
        if (DatabaseFaults.isUnavailable(e)) {
            return render(Problems.of(Problems.temporarilyUnavailable()));
        }
        // The matched route, not the URI: the log names the endpoint without taking text from the request (a
        // matched route also means the method is one of ours).
        Object route = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        String where = route == null ? "a request without a route" : request.getMethod() + " " + route;
        String incident = Incidents.record(e, where);
        return render(Problems.internalError(incident));
    }

    private static ResponseEntity<ProblemDetail> render(ProblemDetail body) {
        var response = ResponseEntity.status(body.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (body.getStatus() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
            response.header(HttpHeaders.RETRY_AFTER, Problems.RETRY_AFTER_SECONDS);
        }
        return response.body(body);
    }
}
