package dev.payrail.support;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Test-only endpoints that fail the way a bug would, inside a handler and inside a filter, so the tests can see
 * what a client and the log get for an unexpected exception. Picked up by the integration tests' component scan;
 * absent from the packaged jar.
 */
public final class FaultInjection {

    public static final String HANDLER_PATH = "/test-support/handler-throws";
    public static final String FILTER_PATH = "/test-support/filter-throws";
    public static final String INTERNAL_DETAIL = "internal detail nobody outside may see";

    private FaultInjection() {}

    @RestController
    @io.swagger.v3.oas.annotations.Hidden   // test-only: not part of the API description the build lints
    static class ThrowingHandler {

        @GetMapping(HANDLER_PATH)
        String fail() {
            throw new IllegalStateException(INTERNAL_DETAIL);
        }
    }

    @Component
    static class ThrowingFilter extends OncePerRequestFilter {

        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            return !FILTER_PATH.equals(request.getRequestURI());
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            throw new IllegalStateException(INTERNAL_DETAIL);
        }
    }
}
