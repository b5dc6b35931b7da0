package dev.payrail.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import lombok.RequiredArgsConstructor;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outermost catch: an exception thrown by a filter (or let through by Spring MVC) is answered here as a
 * problem, with an incident id for a fault, instead of travelling up to Tomcat, which would log it a second time
 * under its own name, with the exception's message, which may quote the request.
 */
@RequiredArgsConstructor
public class FaultBarrierFilter extends OncePerRequestFilter {

    private final JsonMapper json;

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (RuntimeException | ServletException e) {
            if (response.isCommitted()) {
                throw e;
            }
            response.reset();
            Problems.write(response, json, Problems.forFault(e, "the filter chain"));
        }
    }
}
