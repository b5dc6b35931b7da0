package dev.payrail.admin;

import dev.payrail.account.OperatorRole;
import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The prototype's static token, {@code Authorization: Bearer <PAYRAIL_ADMIN_TOKEN>}: acts as an {@code admin},
 * audited as "token". Compared in constant time. The authentication holds for this request only (it is never
 * put into a session). A request without the header goes on to the session (or is refused later as anonymous).
 */
class BearerTokenAuthentication extends OncePerRequestFilter {

    /** The name the audit log and manual changes give to whoever used the static token. */
    static final String TOKEN_ACTOR = "token";

    private final byte[] token;
    private final JsonMapper json;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    BearerTokenAuthentication(String token, JsonMapper json) {
        this.token = token.isBlank() ? new byte[0] : token.getBytes(StandardCharsets.UTF_8);
        this.json = json;
    }

    static boolean presentsBearer(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!presentsBearer(request)) {
            chain.doFilter(request, response);
            return;
        }
        if (token.length == 0) {
            Problems.write(response, json, new ApiProblem(HttpStatus.UNAUTHORIZED, "admin_token_not_configured",
                    "No PAYRAIL_ADMIN_TOKEN is set on this node: log in with an operator account instead."));
            return;
        }
        byte[] presented = request.getHeader("Authorization").substring(7).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(token, presented)) {
            Problems.write(response, json, new ApiProblem(HttpStatus.UNAUTHORIZED, "admin_token_invalid",
                    "The admin token is not valid."));
            return;
        }
        var context = contexts.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(TOKEN_ACTOR, null,
                List.of(new SimpleGrantedAuthority(OperatorRole.ADMIN.authority()))));
        contexts.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            contexts.clearContext();
        }
    }
}
