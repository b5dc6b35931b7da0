package dev.payrail.admin;

import static dev.payrail.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.payrail.support.ApiTestBase;
import dev.payrail.support.IntegrationTest;
import dev.payrail.support.Json;
import dev.payrail.support.OperatorSession;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Logging in and what a session may do: cookie flags, CSRF on cookie writes, logout, password change, throttled
 * guessing, a disabled account's session ending at once, a role change applying at once, and the audit log
 * holding every change and refusing to be edited.
 */
@IntegrationTest
class AdminSessionIT extends ApiTestBase {

    @Test
    void loginSetsAStrictHttpOnlySessionCookieAndAReadableCsrfCookie() {
        OperatorSession admin = new OperatorSession(port);
        HttpResponse<String> login = admin.login(IntegrationTest.ADMIN_EMAIL, IntegrationTest.ADMIN_PASSWORD);
        assertThat(login.statusCode()).isEqualTo(200);
        JsonNode body = Json.parse(login.body());
        assertThat(body.get("email").asString()).isEqualTo(IntegrationTest.ADMIN_EMAIL);
        assertThat(body.get("role").asString()).isEqualTo("admin");
        List<String> setCookies = login.headers().allValues("Set-Cookie");
        assertThat(setCookies).anySatisfy(c -> assertThat(c).startsWith("PAYRAIL_SESSION=").contains("HttpOnly")
                .containsIgnoringCase("SameSite=Strict"));
        assertThat(setCookies).anySatisfy(c -> assertThat(c).startsWith("XSRF-TOKEN=").doesNotContain("HttpOnly"));
        assertThat(login.body()).doesNotContain("password");
        assertThat(admin.get("/admin-api/session").statusCode()).isEqualTo(200);
        assertThat(admin.get("/admin-api/stats").statusCode()).isEqualTo(200);
        assertThat(login.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(login.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(login.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).contains("default-src 'self'").contains("frame-ancestors 'none'"));
    }

    @Test
    void aCookieWriteWithoutTheCsrfHeaderIsRefusedAndChangesNothing() {
        OperatorSession admin = OperatorSession.admin(port);
        String email = "csrf-" + UUID.randomUUID() + "@payrail.test";
        String body = Json.object("email", email, "password", "long-enough-password", "role", "viewer");
        HttpResponse<String> forged = admin.send("POST", "/admin-api/accounts", body, false);
        assertProblem(forged, 403, "csrf_token_invalid");
        assertThat(accountsNamed(email)).isZero();
        assertThat(admin.send("POST", "/admin-api/accounts", body, true).statusCode()).isEqualTo(201);
        assertThat(accountsNamed(email)).isOne();
    }

    @Test
    void wrongPasswordsAreRefusedAlikeAndThrottledThenEvenTheRightOneWaits() {
        OperatorSession admin = OperatorSession.admin(port);
        String email = "guess-" + UUID.randomUUID() + "@payrail.test";
        String password = "the-right-password";
        assertThat(admin.send("POST", "/admin-api/accounts",
                Json.object("email", email, "password", password, "role", "viewer")).statusCode()).isEqualTo(201);
        OperatorSession guesser = new OperatorSession(port);
        HttpResponse<String> unknown = guesser.login("nobody-" + UUID.randomUUID() + "@payrail.test", "whatever-it-is");
        assertProblem(unknown, 401, "login_failed");
        for (int attempt = 0; attempt < 5; attempt++) {
            assertProblem(guesser.login(email, "wrong-guess-" + attempt), 401, "login_failed");
        }
        HttpResponse<String> throttled = guesser.login(email, password);
        assertProblem(throttled, 429, "login_throttled");
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
        assertThat(guesser.get("/admin-api/session").statusCode()).isEqualTo(401);
        assertThat(jdbc.sql("select count(*) from audit_log where action = 'session.login_failed' and actor = ?")
                .param(email).query(Long.class).single()).isEqualTo(5);
    }

    @Test
    void logoutEndsTheSessionAndPasswordChangeNeedsTheCurrentOne() {
        OperatorSession admin = OperatorSession.admin(port);
        String email = "pw-" + UUID.randomUUID() + "@payrail.test";
        admin.send("POST", "/admin-api/accounts", Json.object("email", email, "password", "first-password-1", "role", "operator"));
        OperatorSession me = new OperatorSession(port);
        assertThat(me.login(email, "first-password-1").statusCode()).isEqualTo(200);
        assertProblem(me.send("POST", "/admin-api/session/password",
                Json.object("current_password", "not-my-password", "new_password", "second-password-2")), 403, "wrong_password");
        assertProblem(me.send("POST", "/admin-api/session/password",
                Json.object("current_password", "first-password-1", "new_password", "short")), 422, "validation_failed");
        assertThat(me.send("POST", "/admin-api/session/password",
                Json.object("current_password", "first-password-1", "new_password", "second-password-2")).statusCode()).isEqualTo(204);
        assertThat(me.send("DELETE", "/admin-api/session", null).statusCode()).isEqualTo(204);
        assertThat(me.get("/admin-api/session").statusCode()).isEqualTo(401);
        assertThat(new OperatorSession(port).login(email, "first-password-1").statusCode()).isEqualTo(401);
        assertThat(new OperatorSession(port).login(email, "second-password-2").statusCode()).isEqualTo(200);
    }

    @Test
    void disablingAnAccountEndsItsSessionAndARoleChangeAppliesAtOnce() {
        OperatorSession admin = OperatorSession.admin(port);
        String email = "role-" + UUID.randomUUID() + "@payrail.test";
        String id = Json.parse(admin.send("POST", "/admin-api/accounts",
                Json.object("email", email, "password", "role-change-pw", "role", "viewer")).body()).get("account_id").asString();
        OperatorSession other = new OperatorSession(port);
        assertThat(other.login(email, "role-change-pw").statusCode()).isEqualTo(200);
        assertThat(other.get("/admin-api/accounts").statusCode()).isEqualTo(403);
        assertThat(admin.send("PATCH", "/admin-api/accounts/" + id, "{\"role\":\"admin\"}").statusCode()).isEqualTo(200);
        assertThat(other.get("/admin-api/accounts").statusCode()).isEqualTo(200);
        assertThat(admin.send("PATCH", "/admin-api/accounts/" + id, "{\"disabled\":true}").statusCode()).isEqualTo(200);
        assertProblem(other.get("/admin-api/stats"), 401, "authentication_required");
        assertThat(new OperatorSession(port).login(email, "role-change-pw").statusCode()).isEqualTo(401);
        // An admin cannot lock themselves out.
        String myId = Json.parse(admin.get("/admin-api/session").body()).get("account_id").asString();
        assertProblem(admin.send("PATCH", "/admin-api/accounts/" + myId, "{\"role\":\"viewer\"}"), 409, "own_account");
    }

    @Test
    void theAuditLogHoldsEveryChangeWithWhoAndWhatAndRefusesToBeEdited() {
        OperatorSession admin = OperatorSession.admin(port);
        String email = "audited-" + UUID.randomUUID() + "@payrail.test";
        String id = Json.parse(admin.send("POST", "/admin-api/accounts",
                Json.object("email", email, "password", "audited-password", "role", "viewer")).body()).get("account_id").asString();
        admin.send("PATCH", "/admin-api/accounts/" + id, "{\"role\":\"operator\"}");
        HttpResponse<String> rule = http.post("/admin-api/routing-rules", Map.of("Authorization", "Bearer dev-admin",
                "Content-Type", "application/json"), // a card range no test uses, so other tests' routing is untouched
                "{\"name\":\"audited\",\"priority\":5,\"bin_from\":\"111111\",\"bin_to\":\"111111\",\"targets\":[{\"acquirer\":\"alpha\"}]}");
        assertThat(rule.statusCode()).as(rule.body()).isEqualTo(201);
        String ruleId = Json.parse(rule.body()).get("rule_id").asString();
        assertThat(admin.send("DELETE", "/admin-api/routing-rules/" + ruleId, null).statusCode()).isEqualTo(204);

        JsonNode created = single(admin, "/admin-api/audit-log?action=account.create&target_id=" + id);
        assertThat(created.get("actor").asString()).isEqualTo(IntegrationTest.ADMIN_EMAIL);
        assertThat(created.get("actor_role").asString()).isEqualTo("admin");
        assertThat(created.get("source_ip").asString()).isEqualTo("127.0.0.1");
        assertThat(created.get("after").get("email").asString()).isEqualTo(email);
        assertThat(created.toString()).doesNotContain("audited-password");
        JsonNode updated = single(admin, "/admin-api/audit-log?action=account.update&target_id=" + id);
        assertThat(updated.get("before").get("role").asString()).isEqualTo("viewer");
        assertThat(updated.get("after").get("role").asString()).isEqualTo("operator");
        JsonNode byToken = single(admin, "/admin-api/audit-log?action=routing_rule.create&target_id=" + ruleId);
        assertThat(byToken.get("actor").asString()).isEqualTo("token");
        JsonNode deleted = single(admin, "/admin-api/audit-log?action=routing_rule.delete&target_id=" + ruleId);
        assertThat(deleted.get("actor").asString()).isEqualTo(IntegrationTest.ADMIN_EMAIL);
        assertThat(deleted.get("before").get("name").asString()).isEqualTo("audited");

        for (String edit : List.of("update audit_log set actor = 'someone else'", "delete from audit_log",
                "truncate audit_log")) {
            assertThatThrownBy(() -> jdbc.sql(edit).update()).hasStackTraceContaining("append-only");
        }
        assertThat(single(admin, "/admin-api/audit-log?action=account.create&target_id=" + id)
                .get("actor").asString()).isEqualTo(IntegrationTest.ADMIN_EMAIL);
    }

    @Test
    void oneActorsChangesAreLimitedPerMinuteWithoutTouchingAnotherActor() {
        OperatorSession admin = OperatorSession.admin(port);
        String email = "busy-" + UUID.randomUUID() + "@payrail.test";
        admin.send("POST", "/admin-api/accounts", Json.object("email", email, "password", "busy-operator-pw", "role", "operator"));
        OperatorSession busy = new OperatorSession(port);
        assertThat(busy.login(email, "busy-operator-pw").statusCode()).isEqualTo(200);
        String nowhere = "/admin-api/payments/" + UUID.randomUUID() + "/resend-webhook";
        int limit = 600;   // PAYRAIL_ADMIN_WRITES_PER_MINUTE's default
        for (int i = 0; i < limit; i++) {
            assertThat(busy.send("POST", nowhere, null).statusCode()).as("change %d", i + 1).isEqualTo(404);
        }
        HttpResponse<String> limited = busy.send("POST", nowhere, null);
        assertProblem(limited, 429, "rate_limited");
        assertThat(limited.headers().firstValue("Retry-After")).contains("60");
        assertThat(busy.get("/admin-api/stats").statusCode()).as("reads are not limited").isEqualTo(200);
        assertThat(admin.send("POST", nowhere, null).statusCode()).as("another actor is not limited").isEqualTo(404);
    }

    private static JsonNode single(OperatorSession session, String path) {
        HttpResponse<String> answer = session.get(path);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode data = Json.parse(answer.body()).get("data");
        assertThat(data.size()).as(answer.body()).isEqualTo(1);
        return data.get(0);
    }

    private long accountsNamed(String email) {
        return jdbc.sql("select count(*) from operator_accounts where email = ?").param(email).query(Long.class).single();
    }
}
