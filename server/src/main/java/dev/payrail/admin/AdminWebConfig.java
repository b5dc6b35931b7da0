package dev.payrail.admin;

import dev.payrail.account.OperatorAccounts;
import dev.payrail.audit.AuditLog;
import dev.payrail.platform.Actor;
import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.CurrentActor;
import dev.payrail.platform.HttpSecurityDefaults;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Problems;
import dev.payrail.platform.Role;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin API's security (Spring Security), present only on nodes with the {@code admin} role: operator
 * accounts log in ({@code POST /admin-api/session}) and get a session cookie (HttpOnly, SameSite=Strict, kept in
 * PostgreSQL by Spring Session so every node knows it), and every write made with that cookie must carry the
 * {@code X-XSRF-TOKEN} header matching the {@code XSRF-TOKEN} cookie; or a caller presents the static
 * {@code PAYRAIL_ADMIN_TOKEN} as a bearer token (an admin; no cookie, so no CSRF check). Who may call what:
 * {@link AccessRules}. Refusals are problem+json like every other error.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.ADMIN)
class AdminWebConfig {

    @Bean
    RoleHierarchy roleHierarchy() {
        return AccessRules.hierarchy();
    }

    @Bean
    SecurityContextRepository adminSecurityContextRepository() {
        return new HttpSessionSecurityContextRepository();
    }

    @Bean
    UserDetailsService operatorDetails(OperatorAccounts accounts) {
        return email -> accounts.credentials(email)
                .map(found -> User.withUsername(found.account().email()).password(found.passwordHash())
                        .authorities(found.account().role().authority()).disabled(found.account().disabled()).build())
                .orElseThrow(() -> new UsernameNotFoundException("no such account"));
    }

    /** Checks e-mail and password (Argon2id); an unknown e-mail costs as much time as a wrong password. */
    @Bean
    AuthenticationManager operatorLogin(UserDetailsService operatorDetails, OperatorAccounts accounts) {
        var provider = new DaoAuthenticationProvider(operatorDetails);
        provider.setPasswordEncoder(accounts.passwordEncoder());
        return new ProviderManager(provider);
    }

    @Bean
    LoginThrottle loginThrottle(PayrailProperties properties, Clock clock) {
        return new LoginThrottle(properties.admin().loginAttempts(), properties.admin().loginWindow(), clock);
    }

    @Bean
    @Order(1)
    SecurityFilterChain adminApi(HttpSecurity http, PayrailProperties properties, JsonMapper json,
                                 SecurityContextRepository adminSecurityContextRepository,
                                 OperatorAccounts accounts, AuditLog audit) throws Exception {
        RequestMatcher login = request -> "POST".equals(request.getMethod())
                && (request.getRequestURI().equals("/admin-api/session")
                || request.getRequestURI().equals("/api/admin-api/session"));
        // CSRF protects what a browser sends by itself: cookie-authenticated writes. A bearer token is never sent
        // by a browser on its own, a request without the session cookie cannot act as anyone (it gets 401), and
        // the login has no session yet (SameSite=Strict keeps it from other sites).
        RequestMatcher cookieWrites = request -> !isSafe(request.getMethod())
                && !BearerTokenAuthentication.presentsBearer(request) && !login.matches(request)
                && carriesSessionCookie(request);
        return http
                .securityMatcher("/admin-api", "/admin-api/**", "/api/admin-api", "/api/admin-api/**")
                .authorizeHttpRequests(AccessRules::apply)
                .securityContext(context -> context.securityContextRepository(adminSecurityContextRepository))
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED))
                .csrf(csrf -> csrf.spa().requireCsrfProtectionMatcher(cookieWrites))
                .addFilterBefore(new BearerTokenAuthentication(properties.admin().token(), json),
                        AnonymousAuthenticationFilter.class)
                .addFilterAfter(new CurrentAccountCheck(accounts, adminSecurityContextRepository),
                        SecurityContextHolderFilter.class)
                .addFilterAfter(new WriteRateLimit(properties.admin().writesPerMinute(), json),
                        AnonymousAuthenticationFilter.class)
                .addFilterAfter(new AuditSafetyNet(audit), WriteRateLimit.class)
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> Problems.write(response, json,
                                new ApiProblem(HttpStatus.UNAUTHORIZED, "authentication_required",
                                        "Log in (POST /admin-api/session) or send Authorization: Bearer <admin token>.")))
                        .accessDeniedHandler((request, response, e) -> Problems.write(response, json,
                                e instanceof CsrfException
                                        ? new ApiProblem(HttpStatus.FORBIDDEN, "csrf_token_invalid",
                                        "Send the XSRF-TOKEN cookie's value in the X-XSRF-TOKEN header with every change.")
                                        : new ApiProblem(HttpStatus.FORBIDDEN, "role_forbidden",
                                        "Your role may not do this."))))
                .headers(HttpSecurityDefaults::headers)
                .requestCache(cache -> cache.disable())
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                .logout(logout -> logout.disable())
                .build();
    }

    /** The actor of the request being served: the signed-in operator, "token", or {@link Actor#SYSTEM}. */
    @Bean
    CurrentActor currentActor() {
        return () -> {
            Authentication who = SecurityContextHolder.getContext().getAuthentication();
            if (who == null || !who.isAuthenticated() || "anonymousUser".equals(who.getName())) {
                return Actor.SYSTEM;
            }
            String role = who.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                    .filter(a -> a.startsWith("ROLE_")).map(a -> a.substring(5).toLowerCase(java.util.Locale.ROOT))
                    .findFirst().orElse("none");
            String address = RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                    ? attributes.getRequest().getRemoteAddr() : null;
            return new Actor(who.getName(), role, address);
        };
    }

    private static boolean carriesSessionCookie(jakarta.servlet.http.HttpServletRequest request) {
        return org.springframework.web.util.WebUtils.getCookie(request, SESSION_COOKIE) != null;
    }

    /** The session cookie's name (server.servlet.session.cookie.name in application.properties). */
    static final String SESSION_COOKIE = "PAYRAIL_SESSION";

    private static boolean isSafe(String method) {
        return "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method) || "TRACE".equals(method);
    }
}
