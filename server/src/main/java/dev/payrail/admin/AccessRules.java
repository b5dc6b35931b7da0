package dev.payrail.admin;

import dev.payrail.account.OperatorRole;
import java.util.Arrays;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;

/**
 * Who may call which admin route, in one place. Roles nest: an {@code admin} may do what an {@code operator}
 * may, an operator what a {@code viewer} may. A viewer reads (every GET but the accounts); an operator also acts
 * on payments (status by hand, refunds, resending a webhook), redelivers webhooks and suspends or resumes
 * merchants; everything else — merchants, API keys, webhook endpoints, acquirers, routing rules, accounts — is
 * for admins. A route added later without a rule here is admin-only: the safe default.
 * {@code AdminAccessIT} calls every mapped admin route as each role, so a rule and its test cannot drift apart.
 */
final class AccessRules {

    static final String[] PREFIXES = {"/admin-api", "/api/admin-api"};

    private AccessRules() {}

    static RoleHierarchy hierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix()
                .role(OperatorRole.ADMIN.name()).implies(OperatorRole.OPERATOR.name())
                .role(OperatorRole.OPERATOR.name()).implies(OperatorRole.VIEWER.name())
                .build();
    }

    static void apply(AuthorizeHttpRequestsConfigurer<?>.AuthorizationManagerRequestMatcherRegistry rules) {
        rules.requestMatchers(HttpMethod.POST, both("/session")).permitAll()
                .requestMatchers(both("/session", "/session/password")).authenticated()
                .requestMatchers(HttpMethod.GET, both("/accounts", "/accounts/**")).hasRole(OperatorRole.ADMIN.name())
                .requestMatchers(HttpMethod.PATCH, both("/payments/*")).hasRole(OperatorRole.OPERATOR.name())
                .requestMatchers(HttpMethod.POST, both(
                        "/payments/*/refunds", "/payments/*/simulate-refund", "/payments/*/resend-webhook",
                        "/webhook-deliveries/*/redeliver",
                        "/merchants/*/webhook-endpoints/*/redeliver-dead",
                        "/merchants/*/suspend", "/merchants/*/resume")).hasRole(OperatorRole.OPERATOR.name())
                .requestMatchers(HttpMethod.GET, both("", "/**")).hasRole(OperatorRole.VIEWER.name())
                .requestMatchers(HttpMethod.HEAD, both("", "/**")).hasRole(OperatorRole.VIEWER.name())
                .anyRequest().hasRole(OperatorRole.ADMIN.name());
    }

    /** The same paths under both prefixes (the prototype's dashboard called {@code /api/admin-api}). */
    private static String[] both(String... paths) {
        return Arrays.stream(PREFIXES).flatMap(prefix -> Arrays.stream(paths).map(path -> prefix + path))
                .toArray(String[]::new);
    }
}
