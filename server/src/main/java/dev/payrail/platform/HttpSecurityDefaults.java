package dev.payrail.platform;

import java.util.List;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * Spring Security for everything outside the admin API (which has its own chain in the admin module): no login,
 * no session, no CSRF, no authorization step (the merchant API authenticates each call with its API key, see the
 * merchant module), only the security headers. Without this chain Spring Boot would put a generated password in
 * front of every route.
 *
 * <p>The merchant API is the hot path (thousands of calls a second), so what the operator side brought with it
 * stays off it: Spring Session's filter runs on the admin API's paths only, and Spring Security does not wrap each
 * filter of a chain in an observation of its own (Boot's HTTP server observation already times every request).
 */
@Configuration(proxyBeanMethods = false)
public class HttpSecurityDefaults {

    /**
     * The Content-Security-Policy of every answer: the console is served from Payrail itself and calls only
     * Payrail, so nothing from elsewhere may run, be framed or be called. Inline styles stay allowed (chart and
     * table libraries set them); inline scripts do not.
     */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
            + "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    /** The security headers every chain sends: CSP, no MIME sniffing, no framing, no referrer across sites. */
    public static void headers(HeadersConfigurer<HttpSecurity> headers) {
        headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                .contentTypeOptions(Customizer.withDefaults())
                .frameOptions(HeadersConfigurer.FrameOptionsConfig::deny)
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN));
    }

    /**
     * Spring Security's firewall stays on (it refuses encoded slashes, path traversal, control characters...)
     * except for its list of HTTP methods: an invented method (BREW) reaches Spring MVC and gets the same 405
     * {@code method_not_allowed} with an {@code Allow} header as any other method a route does not take.
     */
    @Bean
    WebSecurityCustomizer firewallLettingMvcAnswerUnknownMethods() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setUnsafeAllowAnyHttpMethod(true);
        return web -> web.httpFirewall(firewall);
    }

    /**
     * No observation per request and per filter of Spring Security's chains: on the merchant path it cost as much
     * as the payment's own JSON work (JFR allocation profile, docs/benchmarks.md). Logins and the admin API's
     * authorization decisions stay observed.
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.withDefaults().shouldObserveRequests(false).build();
    }

    /** Spring Boot's registration of Spring Session's filter, narrowed to the only paths that use a session. */
    static final String SESSION_FILTER_REGISTRATION = "sessionRepositoryFilterRegistration";

    /** Operator sessions exist on the admin API only; every other request skips Spring Session's filter. */
    static final List<String> SESSION_PATHS = List.of("/admin-api/*", "/api/admin-api/*");

    @Bean
    static BeanPostProcessor sessionFilterOnTheAdminApiOnly() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String name) {
                if (bean instanceof DelegatingFilterProxyRegistrationBean registration
                        && SESSION_FILTER_REGISTRATION.equals(name)) {
                    registration.setUrlPatterns(SESSION_PATHS);
                }
                return bean;
            }
        };
    }

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    SecurityFilterChain everythingElse(HttpSecurity http) throws Exception {
        return http
                .headers(HttpSecurityDefaults::headers)
                .csrf(csrf -> csrf.disable())
                .sessionManagement(sessions -> sessions.disable())
                .securityContext(context -> context.disable())
                .requestCache(cache -> cache.disable())
                .anonymous(anonymous -> anonymous.disable())
                .servletApi(servletApi -> servletApi.disable())
                .logout(logout -> logout.disable())
                .build();
    }
}
