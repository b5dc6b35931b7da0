package dev.payrail.merchant;

import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.DatabaseFaults;
import dev.payrail.platform.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import lombok.RequiredArgsConstructor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Authenticates the merchant API ({@code /v1/**} and the legacy {@code /payments}) by the {@code X-API-Key}
 * header and puts the merchant id on the request for the handlers. Runs before any body is read.
 *
 * <p>A suspended merchant's key is answered 403 {@code merchant_suspended}. The key's use is noted for
 * {@code last_used_at} ({@link ApiKeyUsage}, no write on this path).
 *
 * <p>The presented key is never logged or echoed, whether it is valid, malformed or could not be checked.
 */
@RequiredArgsConstructor
public class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    public static final String MERCHANT_ATTRIBUTE = "payrail.merchantId";
    static final String HEADER = "X-API-Key";

    private static final Logger log = LoggerFactory.getLogger(ApiKeyAuthenticationFilter.class);
    /** During an outage every request fails the same way; one line per interval says so without filling the disk. */
    private static final long OUTAGE_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Merchants merchants;
    private final ApiKeyUsage usage;
    private final JsonMapper json;
    private final AtomicLong nextOutageLogNanos = new AtomicLong(System.nanoTime());

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader(HEADER);
        if (key == null || key.isBlank()) {
            Problems.write(response, json, new ApiProblem(HttpStatus.UNAUTHORIZED, "api_key_missing",
                    "Send your API key in the X-API-Key header."));
            return;
        }
        // Every key ever issued has this shape; anything else is refused without a database round trip.
        if (!ApiKeys.FORMAT.matcher(key).matches()) {
            Problems.write(response, json, invalidKey());
            return;
        }
        Optional<Merchants.KeyOwner> owner;
        try {
            owner = merchants.authenticate(key);
        } catch (RuntimeException e) {
            if (!DatabaseFaults.isUnavailable(e)) {
                throw e;
            }
            logOutage(e);
            Problems.write(response, json, Problems.temporarilyUnavailable());
            return;
        }
        if (owner.isEmpty()) {
            Problems.write(response, json, invalidKey());
            return;
        }
        if (owner.get().suspended()) {
            // The key is right, so saying why is no leak; the merchant's payments and webhooks carry on.
            Problems.write(response, json, new ApiProblem(HttpStatus.FORBIDDEN, "merchant_suspended",
                    "This merchant account is suspended; contact the operator."));
            return;
        }
        usage.used(owner.get().apiKeyId());
        request.setAttribute(MERCHANT_ATTRIBUTE, owner.get().merchantId());
        chain.doFilter(request, response);
    }

    /** One line, no stack and no key, at most once per interval. */
    private void logOutage(RuntimeException e) {
        long now = System.nanoTime();
        long next = nextOutageLogNanos.get();
        if (now - next >= 0 && nextOutageLogNanos.compareAndSet(next, now + OUTAGE_LOG_INTERVAL_NANOS)) {
            log.warn("API keys cannot be checked, the database does not answer ({}); answering 503",
                    e.getClass().getSimpleName());
        }
    }

    private static ApiProblem invalidKey() {
        return new ApiProblem(HttpStatus.UNAUTHORIZED, "api_key_invalid", "The API key is not valid.");
    }

    public static UUID merchantOf(HttpServletRequest request) {
        return (UUID) request.getAttribute(MERCHANT_ATTRIBUTE);
    }
}
