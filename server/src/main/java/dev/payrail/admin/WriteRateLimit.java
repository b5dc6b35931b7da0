package dev.payrail.admin;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import lombok.RequiredArgsConstructor;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * At most {@code perMinute} admin changes (any method but GET/HEAD/OPTIONS) per actor and minute on this node;
 * beyond, 429 {@code rate_limited} with {@code Retry-After}. A stolen session or a runaway script cannot rewrite
 * the routing table thousands of times a second; a person never notices the limit.
 */
@RequiredArgsConstructor
final class WriteRateLimit extends OncePerRequestFilter {

    private final int perMinute;
    private final JsonMapper json;
    private final Cache<String, AtomicInteger> counts = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(1)).maximumSize(10_000).build();

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String method = request.getMethod();
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        // Anonymous requests are not counted: the only change they may make is a login, throttled on its own
        // (LoginThrottle), and one shared anonymous count would let a flood of them lock everyone out of logging in.
        if (who == null || who instanceof AnonymousAuthenticationToken
                || "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method)) {
            chain.doFilter(request, response);
            return;
        }
        int made = counts.get(who.getName(), name -> new AtomicInteger()).incrementAndGet();
        if (made > perMinute) {
            response.setHeader("Retry-After", "60");
            Problems.write(response, json, new ApiProblem(HttpStatus.TOO_MANY_REQUESTS, "rate_limited",
                    "More than " + perMinute + " changes in a minute; try again in a minute."));
            return;
        }
        chain.doFilter(request, response);
    }
}
