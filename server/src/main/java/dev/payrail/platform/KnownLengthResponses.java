package dev.payrail.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Sends each API answer with its {@code Content-Length}, in one write. Spring's JSON converter flushes the answer
 * before its length is known, so Tomcat sent it chunked: the body, then a write of its own for the closing chunk,
 * on every call (a simulator's answer to each payment's authorization, every webhook receipt of the built-in
 * receiver, every admin list).
 * Answers of the API are small (an admin list page of 200 payments is the largest), so holding one in memory until
 * the handler is done costs less than the second system call. Spring's {@link ContentCachingResponseWrapper} does the
 * holding: a flush before the end is kept back, and the body goes out with its length when the filter ends.
 */
final class KnownLengthResponses extends OncePerRequestFilter {

    /**
     * The simulators' API (and the built-in merchant receiver under it) and the admin API. Not the merchant API:
     * its busiest answer, the intake's, is written with its length already (a prepared string), so holding it
     * could only add work on the hottest path. Not the console's files nor the actuator: they set their own
     * lengths or are large.
     */
    static final List<String> PATHS = List.of("/simulators/*", "/admin-api/*", "/api/admin-api/*");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var held = new ContentCachingResponseWrapper(response);
        try {
            chain.doFilter(request, held);
        } finally {
            held.copyBodyToResponse();
        }
    }
}
