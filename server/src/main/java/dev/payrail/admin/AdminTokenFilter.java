package dev.payrail.admin;

import dev.payrail.platform.Actor;
import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Guards {@code /admin-api/**} with {@code Authorization: Bearer <PAYRAIL_ADMIN_TOKEN>} (the prototype's
 * contract). The token defaults to {@code dev-admin} only in embedded mode; with external infrastructure and
 * no token configured the admin API refuses everyone rather than accept a well-known string.
 */
class AdminTokenFilter extends OncePerRequestFilter {

    /** The request attribute holding the {@link Actor} a request was authenticated as. */
    static final String ACTOR_ATTRIBUTE = "payrail.actor";

    private final byte[] token;
    private final JsonMapper json;

    AdminTokenFilter(String token, JsonMapper json) {
        this.token = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (token == null) {
            Problems.write(response, json, new ApiProblem(HttpStatus.UNAUTHORIZED, "admin_token_not_configured",
                    "Set PAYRAIL_ADMIN_TOKEN to use the admin API."));
            return;
        }
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            Problems.write(response, json, new ApiProblem(HttpStatus.UNAUTHORIZED, "admin_token_missing",
                    "Send Authorization: Bearer <admin token>."));
            return;
        }
        byte[] presented = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(token, presented)) { // constant time
            Problems.write(response, json, new ApiProblem(HttpStatus.UNAUTHORIZED, "admin_token_invalid",
                    "The admin token is not valid."));
            return;
        }
        request.setAttribute(ACTOR_ATTRIBUTE, new Actor("token", "admin", request.getRemoteAddr()));
        chain.doFilter(request, response);
    }
}
