package dev.payrail.processing;

import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Authorization attempts per acquirer, as the processing core sees them: {@code payrail_acquirer_attempts_total},
 * {@code payrail_acquirer_approvals_total} and {@code payrail_acquirer_declines_total{code, kind}} (an outcome
 * found by status inquiry counts too). The calls themselves (every operation, with latency) are measured by the
 * acquirer client as {@code payrail_acquirer_calls_total} and {@code payrail_acquirer_latency_seconds}.
 */
@Component
@ConditionalOnRole(Role.PROCESSING)
class AttemptMetrics {

    /** Decline codes come from acquirers; these bounds keep a misbehaving one from flooding the metrics. */
    private static final Pattern CODE = Pattern.compile("[a-z0-9_]{1,40}");
    private static final int CODES_MAX = 50;

    private final MeterRegistry meters;
    private final Set<String> codes = ConcurrentHashMap.newKeySet();

    AttemptMetrics(MeterRegistry meters, PayrailProperties properties) {
        this.meters = meters;
        // Registered up front, so every acquirer shows up (at 0) before its first payment.
        properties.acquirers().byName().keySet().forEach(acquirer -> {
            attempts(acquirer);
            approvals(acquirer);
        });
    }

    void attempted(String acquirer) {
        attempts(acquirer).increment();
    }

    void approved(String acquirer) {
        approvals(acquirer).increment();
    }

    void declined(String acquirer, String code, String kind) {
        Counter.builder("payrail.acquirer.declines").description("authorizations an acquirer declined, by code")
                .tag("acquirer", acquirer).tag("code", boundedCode(code)).tag("kind", kind)
                .register(meters).increment();
    }

    private Counter attempts(String acquirer) {
        return Counter.builder("payrail.acquirer.attempts").description("authorization attempts sent to an acquirer")
                .tag("acquirer", acquirer).register(meters);
    }

    private Counter approvals(String acquirer) {
        return Counter.builder("payrail.acquirer.approvals").description("authorizations an acquirer approved")
                .tag("acquirer", acquirer).register(meters);
    }

    private String boundedCode(String code) {
        if (!CODE.matcher(code).matches()) {
            return "other";
        }
        if (codes.contains(code) || (codes.size() < CODES_MAX && codes.add(code))) {
            return code;
        }
        return "other";
    }
}
