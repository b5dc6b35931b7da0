package dev.payrail.admin;

import static org.springframework.http.MediaType.APPLICATION_JSON_VALUE;

import dev.payrail.account.OperatorAccount;
import dev.payrail.account.OperatorAccounts;
import dev.payrail.audit.AuditLog;
import dev.payrail.platform.Actor;
import dev.payrail.platform.AdminApi;
import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.ApiProblem.FieldProblem;
import dev.payrail.platform.JsonBody;
import dev.payrail.platform.JsonFields;
import dev.payrail.platform.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import lombok.RequiredArgsConstructor;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import tools.jackson.databind.JsonNode;

/**
 * Logging in and out of the admin side. A login answers the account and sets two cookies: the session
 * ({@code PAYRAIL_SESSION}, HttpOnly, SameSite=Strict) and {@code XSRF-TOKEN}, whose value every later change
 * must repeat in the {@code X-XSRF-TOKEN} header. Failed logins are throttled ({@link LoginThrottle}) and
 * recorded in the audit log with successful ones.
 */
@AdminApi
@RequiredArgsConstructor
@Tag(name = "Admin: session", description = "Operator login; the session cookie then authenticates the console")
class SessionController {

    /** The operator accounts' login, and where a session keeps its login: beans named so, of types with others. */
    private final AuthenticationManager operatorLogin;
    private final SecurityContextRepository adminSecurityContextRepository;
    private final LoginThrottle throttle;
    private final OperatorAccounts accounts;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    /** Who is signed in. */
    record SessionView(String accountId, String email, String role) {
        static SessionView of(OperatorAccount account) {
            return new SessionView(account.accountId().toString(), account.email(), account.role().wireName());
        }
    }

    @Schema(name = "Login")
    record LoginBody(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String email,
                     @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String password) {}

    @Operation(summary = "Log in with an operator account (sets the session and XSRF-TOKEN cookies)",
            description = "Role: anyone. 401 login_failed for a wrong e-mail or password (the same answer for "
                    + "both); 429 login_throttled after repeated failures, with Retry-After.")
    @JsonBody(LoginBody.class)
    @PostMapping(path = "/session", consumes = APPLICATION_JSON_VALUE, produces = APPLICATION_JSON_VALUE)
    ResponseEntity<?> login(@Parameter(hidden = true) @RequestBody JsonNode body,
                                      HttpServletRequest request, HttpServletResponse response) {
        JsonFields.object(body);
        List<FieldProblem> errors = new ArrayList<>();
        String email = JsonFields.string(body.get("email"), "email", true, 254, errors);
        String password = JsonFields.string(body.get("password"), "password", true, OperatorAccounts.PASSWORD_MAX, errors);
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        String address = request.getRemoteAddr();
        var wait = throttle.refusal(email, address);
        if (wait.isPresent()) {
            return throttled(wait.get());
        }
        Authentication authenticated;
        try {
            authenticated = operatorLogin.authenticate(
                    UsernamePasswordAuthenticationToken.unauthenticated(email.trim(), password));
        } catch (AuthenticationException refused) {
            throttle.failed(email, address);
            tx.executeWithoutResult(s -> audit.record(new Actor(email.trim(), "none", address), "session.login_failed",
                    "account", null, null, null));
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, "login_failed", "Wrong e-mail or password.");
        }
        OperatorAccount account = accounts.findByEmail(authenticated.getName()).orElseThrow();
        // A new session id at login: a session id planted before the login is worth nothing after it.
        HttpSession old = request.getSession(false);
        if (old != null) {
            old.invalidate();
        }
        request.getSession(true);
        var context = contexts.createEmptyContext();
        context.setAuthentication(authenticated);
        contexts.setContext(context);
        adminSecurityContextRepository.saveContext(context, request, response);
        renderCsrfCookie(request);
        tx.executeWithoutResult(s -> {
            accounts.recordLogin(account.accountId());
            audit.record(new Actor(account.email(), account.role().wireName(), address), "session.login", "account",
                    account.accountId(), null, null);
        });
        return ResponseEntity.ok(SessionView.of(account));
    }

    @Operation(summary = "The signed-in account (401 when none)", description = "Role: any signed-in account.")
    @GetMapping(path = "/session", produces = APPLICATION_JSON_VALUE)
    SessionView current(HttpServletRequest request) {
        renderCsrfCookie(request);
        Authentication who = contexts.getContext().getAuthentication();
        if (who != null && BearerTokenAuthentication.TOKEN_ACTOR.equals(who.getName())) {
            return new SessionView("", BearerTokenAuthentication.TOKEN_ACTOR, "admin");
        }
        return accounts.findByEmail(who == null ? "" : who.getName()).map(SessionView::of)
                .orElseThrow(() -> new ApiProblem(HttpStatus.UNAUTHORIZED, "authentication_required", "Not logged in."));
    }

    @Operation(summary = "Log out", description = "Role: any signed-in account.")
    @DeleteMapping(path = "/session")
    ResponseEntity<Void> logout(HttpServletRequest request) {
        tx.executeWithoutResult(s -> audit.record("session.logout", "account", null, null, null));
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        contexts.clearContext();
        return ResponseEntity.noContent().build();
    }

    @Schema(name = "PasswordChange")
    record PasswordBody(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String currentPassword,
                        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minLength = OperatorAccounts.PASSWORD_MIN)
                        String newPassword) {}

    @Operation(summary = "Change my password", description = "Role: any signed-in account. 403 "
            + "wrong_password when current_password is not right; 422 weak_password under 12 characters.")
    @JsonBody(PasswordBody.class)
    @PostMapping(path = "/session/password", consumes = APPLICATION_JSON_VALUE)
    ResponseEntity<Void> changePassword(@Parameter(hidden = true) @RequestBody JsonNode body) {
        JsonFields.object(body);
        List<FieldProblem> errors = new ArrayList<>();
        String current = JsonFields.string(body.get("current_password"), "current_password", true,
                OperatorAccounts.PASSWORD_MAX, errors);
        String replacement = JsonFields.string(body.get("new_password"), "new_password", true,
                OperatorAccounts.PASSWORD_MAX, errors);
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        Authentication who = contexts.getContext().getAuthentication();
        OperatorAccount account = accounts.findByEmail(who == null ? "" : who.getName())
                .orElseThrow(() -> new ApiProblem(HttpStatus.CONFLICT, "no_account",
                        "The static admin token has no password; log in with an operator account."));
        boolean changed;
        try {
            changed = Boolean.TRUE.equals(tx.execute(s -> {
                boolean done = accounts.changePassword(account.accountId(), current, replacement);
                if (done) {
                    audit.record("account.password_changed", "account", account.accountId(), null, null);
                }
                return done;
            }));
        } catch (OperatorAccounts.AccountRefused refused) {
            throw ApiProblem.validation(List.of(new FieldProblem("new_password", refused.code(), refused.getMessage())));
        }
        if (!changed) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "wrong_password", "The current password is not right.");
        }
        return ResponseEntity.noContent().build();
    }

    /** Makes sure the XSRF-TOKEN cookie is in this answer (Spring Security writes it only when asked for). */
    private static void renderCsrfCookie(HttpServletRequest request) {
        if (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
            token.getToken();
        }
    }

    private static ResponseEntity<ProblemDetail> throttled(Duration wait) {
        long seconds = Math.max(1, wait.toSeconds());
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.of(HttpStatus.TOO_MANY_REQUESTS, "login_throttled",
                        "Too many failed logins; try again in " + seconds + " s.", List.of()));
    }
}
