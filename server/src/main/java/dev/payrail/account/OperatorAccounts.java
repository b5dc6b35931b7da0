package dev.payrail.account;

import dev.payrail.platform.Ids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Operator accounts in PostgreSQL. Passwords are hashed with Argon2id (Spring Security's
 * {@link Argon2PasswordEncoder} with its 5.8 defaults: 16 MiB, 2 iterations, 16-byte salt), the memory-hard
 * function OWASP recommends first; a guess costs the attacker memory as well as time.
 */
@Component
@RequiredArgsConstructor
public class OperatorAccounts {

    /** Shortest and longest password accepted: length is what makes a password strong, not character classes. */
    public static final int PASSWORD_MIN = 12;
    public static final int PASSWORD_MAX = 200;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,189}$");

    private final JdbcClient jdbc;
    private final Clock clock;
    private final PasswordEncoder passwords = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();

    /** Why an account could not be created or changed; {@link #code} is the stable problem code. */
    public static final class AccountRefused extends RuntimeException {
        private final String code;
        private final String field;

        AccountRefused(String field, String code, String message) {
            super(message);
            this.field = field;
            this.code = code;
        }

        public String code() {
            return code;
        }

        public String field() {
            return field;
        }
    }

    /** An account with its hash, for checking a password at login. */
    public record Credentials(OperatorAccount account, String passwordHash) {}

    public PasswordEncoder passwordEncoder() {
        return passwords;
    }

    public OperatorAccount create(String email, String password, OperatorRole role) {
        String normalized = normalizedEmail(email);
        requireGoodPassword(password, normalized);
        UUID id = Ids.next();
        Timestamp now = Timestamp.from(clock.instant());
        try {
            jdbc.sql("""
                    insert into operator_accounts (account_id, email, password_hash, role, created_at, updated_at)
                    values (?, ?, ?, ?, ?, ?)""")
                    .params(id, normalized, passwords.encode(password), role.wireName(), now, now).update();
        } catch (DuplicateKeyException taken) {
            throw new AccountRefused("email", "email_taken", "An account with this e-mail exists.");
        }
        return find(id).orElseThrow();
    }

    /** Creates the account unless any account exists (the first admin; safe when several nodes start at once). */
    public Optional<OperatorAccount> createFirst(String email, String password) {
        if (count() > 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(create(email, password, OperatorRole.ADMIN));
        } catch (AccountRefused taken) {
            if ("email_taken".equals(taken.code())) {
                return Optional.empty();
            }
            throw taken;
        }
    }

    public long count() {
        return jdbc.sql("select count(*) from operator_accounts").query(Long.class).single();
    }

    public List<OperatorAccount> list() {
        return jdbc.sql(SELECT + " order by created_at, email").query(OperatorAccounts::account).list();
    }

    public Optional<OperatorAccount> find(UUID accountId) {
        return jdbc.sql(SELECT + " where account_id = ?").param(accountId).query(OperatorAccounts::account).optional();
    }

    public Optional<OperatorAccount> findByEmail(String email) {
        return jdbc.sql(SELECT + " where lower(email) = ?").param(email.trim().toLowerCase(Locale.ROOT))
                .query(OperatorAccounts::account).optional();
    }

    public Optional<Credentials> credentials(String email) {
        return jdbc.sql("select *, password_hash from operator_accounts where lower(email) = ?")
                .param(email.trim().toLowerCase(Locale.ROOT))
                .query((rs, n) -> new Credentials(account(rs, n), rs.getString("password_hash"))).optional();
    }

    /** Changes the role and/or the disabled flag; returns the account after the change. */
    public Optional<OperatorAccount> update(UUID accountId, @Nullable OperatorRole role, @Nullable Boolean disabled) {
        int changed = jdbc.sql("""
                update operator_accounts set role = coalesce(?, role), disabled = coalesce(?, disabled), updated_at = ?
                where account_id = ?""")
                .params(role == null ? null : role.wireName(), disabled, Timestamp.from(clock.instant()), accountId)
                .update();
        return changed == 0 ? Optional.empty() : find(accountId);
    }

    /** Sets a new password when {@code current} is right; false when it is not. */
    public boolean changePassword(UUID accountId, String current, String replacement) {
        var found = jdbc.sql("select email, password_hash from operator_accounts where account_id = ?").param(accountId)
                .query((rs, n) -> new String[] {rs.getString("email"), rs.getString("password_hash")}).optional();
        if (found.isEmpty() || !passwords.matches(current, found.get()[1])) {
            return false;
        }
        requireGoodPassword(replacement, found.get()[0]);
        jdbc.sql("update operator_accounts set password_hash = ?, updated_at = ? where account_id = ?")
                .params(passwords.encode(replacement), Timestamp.from(clock.instant()), accountId).update();
        return true;
    }

    public void recordLogin(UUID accountId) {
        jdbc.sql("update operator_accounts set last_login_at = ? where account_id = ?")
                .params(Timestamp.from(clock.instant()), accountId).update();
    }

    static String normalizedEmail(String email) {
        String trimmed = email.trim().toLowerCase(Locale.ROOT);
        if (!EMAIL.matcher(trimmed).matches()) {
            throw new AccountRefused("email", "invalid_email", "Must be an e-mail address.");
        }
        return trimmed;
    }

    static void requireGoodPassword(String password, String email) {
        if (password.length() < PASSWORD_MIN || password.length() > PASSWORD_MAX) {
            throw new AccountRefused("password", "weak_password",
                    "A password has " + PASSWORD_MIN + " to " + PASSWORD_MAX + " characters.");
        }
        if (password.trim().equalsIgnoreCase(email)) {
            throw new AccountRefused("password", "weak_password", "The password must not be the e-mail address.");
        }
    }

    private static final String SELECT =
            "select account_id, email, role, disabled, created_at, last_login_at from operator_accounts";

    private static OperatorAccount account(ResultSet rs, int row) throws SQLException {
        Timestamp lastLogin = rs.getTimestamp("last_login_at");
        return new OperatorAccount(rs.getObject("account_id", UUID.class), rs.getString("email"),
                OperatorRole.parse(rs.getString("role")).orElseThrow(), rs.getBoolean("disabled"),
                rs.getTimestamp("created_at").toInstant(), lastLogin == null ? null : lastLogin.toInstant());
    }
}
