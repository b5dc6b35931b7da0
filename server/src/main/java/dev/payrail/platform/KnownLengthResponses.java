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
 * on every call (a simulator's answer to each payment's authorization, every admin list, every webhook receipt).
 * Answers of the API are small (an admin list page of 200 payments is the largest), so holding one in memory until
 * the handler is done costs less than the second system call. Spring's {@link ContentCachingResponseWrapper} does the
 * holding: a flush before the end is kept back, and the body goes out with its length when the filter ends.
 */
final class KnownLengthResponses extends OncePerRequestFilter {

    /** The API's paths (the console's files and the actuator set their own lengths or are large). */
    static final List<String> PATHS = List.of("/v1/*", "/payments", "/payments/*", "/admin-api/*", "/api/admin-api/*",
            "/simulators/*");

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
