package dev.payrail.merchant;

import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Authenticates the merchant API ({@code /v1/**} and the legacy {@code /payments}) by the {@code X-API-Key}
 * header and puts the merchant id on the request for the handlers. Runs before any body is read.
 */
public class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    public static final String MERCHANT_ATTRIBUTE = "payrail.merchantId";

    private final Merchants merchants;
    private final JsonMapper json;

    public ApiKeyAuthenticationFilter(Merchants merchants, JsonMapper json) {
        this.merchants = merchants;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader("X-API-Key");
        if (key == null || key.isBlank()) {
            Problems.write(response, json, new ApiProblem(HttpStatus.UNAUTHORIZED, "api_key_missing",
                    "Send your API key in the X-API-Key header."));
            return;
        }
        Optional<UUID> merchant = key.length() > 200 ? Optional.empty() : merchants.authenticate(key.trim());
        if (merchant.isEmpty()) {
            Problems.write(response, json, new ApiProblem(HttpStatus.UNAUTHORIZED, "api_key_invalid",
                    "The API key is not valid."));
            return;
        }
        request.setAttribute(MERCHANT_ATTRIBUTE, merchant.get());
        chain.doFilter(request, response);
    }

    public static UUID merchantOf(HttpServletRequest request) {
        return (UUID) request.getAttribute(MERCHANT_ATTRIBUTE);
    }
}
