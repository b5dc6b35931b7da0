package dev.payrail.audit;

import dev.payrail.platform.Actor;
import dev.payrail.platform.CurrentActor;
import dev.payrail.platform.Text;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes and reads the audit log. {@link #record} joins the caller's transaction when there is one (a change and
 * its record commit or roll back together; a change made through a service that commits on its own is recorded
 * right after it) and takes the actor from {@link CurrentActor}. {@code before}/{@code after} are
 * any objects Jackson can write (records, maps); every field whose name says it holds a secret is replaced by
 * {@code "[redacted]"} at any depth, so a caller that forgets to strip one still cannot leak it here.
 */
@Component
@RequiredArgsConstructor
public class AuditLog {

    /** Words of a field name (split at {@code _} and camel case) that mark a secret; a name ending in {@code prefix} is not one. */
    private static final Set<String> SECRET_WORDS = Set.of("pan", "cvc", "cvv", "hash", "key");
    static final String REDACTED = "[redacted]";

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final ObjectProvider<CurrentActor> currentActor;

    /**
     * Records a change by the current actor. {@code action} is a dotted verb ({@code merchant.suspend},
     * {@code payment.status_set}); {@code targetType}/{@code targetId} name the object changed.
     */
    @Transactional(propagation = Propagation.REQUIRED)
    public void record(String action, String targetType, @Nullable Object targetId, @Nullable Object before,
                       @Nullable Object after) {
        record(actor(), action, targetType, targetId, before, after);
    }

    /** Records a change by a given actor (a login attempt, where no one is signed in yet). */
    @Transactional(propagation = Propagation.REQUIRED)
    public void record(Actor actor, String action, String targetType, @Nullable Object targetId,
                       @Nullable Object before, @Nullable Object after) {
        jdbc.sql("""
                insert into audit_log (occurred_at, actor, actor_role, source_ip, action, target_type, target_id, before, after)
                values (?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), cast(? as jsonb))""")
                .params(Timestamp.from(clock.instant()), actor.name(), actor.role(), actor.sourceIp(), action,
                        targetType, targetId == null ? null : targetId.toString(), redactedJson(before),
                        redactedJson(after))
                .update();
        markRecorded();
    }

    /**
     * Says that the request being served changed nothing (a repeated suspension, revoking a revoked key), so the
     * safety net that records unrecorded changes leaves it alone.
     */
    public void nothingChanged() {
        markRecorded();
    }

    private static void markRecorded() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request) {
            request.getRequest().setAttribute(RECORDED_ATTRIBUTE, Boolean.TRUE);
        }
    }

    /** Set on the request when it recorded something, so a safety net can tell a change that was not on record. */
    public static final String RECORDED_ATTRIBUTE = "payrail.audit.recorded";

    /** The actor behind the current request ({@link Actor#SYSTEM} when none). */
    public Actor actor() {
        CurrentActor resolver = currentActor.getIfAvailable();
        return resolver == null ? Actor.SYSTEM : resolver.get();
    }

    /** Filters for {@link #list}; a null filter matches everything. */
    public record Query(@Nullable String actor, @Nullable String action, @Nullable String targetType,
                        @Nullable String targetId, @Nullable Instant from, @Nullable Instant to,
                        @Nullable Long before, int limit) {}

    /** Newest first; keyset paging: pass the last {@code auditId} seen as {@code before} for the next page. */
    public List<AuditEntry> list(Query query) {
        StringBuilder sql = new StringBuilder("""
                select audit_id, occurred_at, actor, actor_role, source_ip, action, target_type, target_id,
                       before::text as before, after::text as after
                from audit_log where true""");
        List<Object> params = new ArrayList<>();
        if (query.actor() != null) { sql.append(" and actor = ?"); params.add(query.actor()); }
        if (query.action() != null) { sql.append(" and action = ?"); params.add(query.action()); }
        if (query.targetType() != null) { sql.append(" and target_type = ?"); params.add(query.targetType()); }
        if (query.targetId() != null) { sql.append(" and target_id = ?"); params.add(query.targetId()); }
        if (query.from() != null) { sql.append(" and occurred_at >= ?"); params.add(Timestamp.from(query.from())); }
        if (query.to() != null) { sql.append(" and occurred_at < ?"); params.add(Timestamp.from(query.to())); }
        if (query.before() != null) { sql.append(" and audit_id < ?"); params.add(query.before()); }
        sql.append(" order by audit_id desc limit ?");
        params.add(query.limit());
        return jdbc.sql(sql.toString()).params(params).query((rs, n) -> new AuditEntry(rs.getLong("audit_id"),
                rs.getTimestamp("occurred_at").toInstant(), rs.getString("actor"), rs.getString("actor_role"),
                rs.getString("source_ip"), rs.getString("action"), rs.getString("target_type"),
                rs.getString("target_id"), tree(rs.getString("before")), tree(rs.getString("after")))).list();
    }

    private @Nullable JsonNode tree(@Nullable String text) {
        return text == null ? null : json.readTree(text);
    }

    private @Nullable String redactedJson(@Nullable Object value) {
        if (value == null) {
            return null;
        }
        JsonNode tree = value instanceof JsonNode node ? node.deepCopy() : json.valueToTree(value);
        redact(tree);
        return json.writeValueAsString(tree);
    }

    static void redact(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : new ArrayList<>(object.properties())) {
                if (isSecret(field.getKey())) {
                    object.put(field.getKey(), REDACTED);
                } else {
                    redact(field.getValue());
                }
            }
        } else if (node.isArray()) {
            node.forEach(AuditLog::redact);
        }
    }

    static boolean isSecret(String fieldName) {
        String name = Text.snakeCase(fieldName).replace('-', '_');
        if (name.endsWith("prefix")) {
            return false;
        }
        String joined = name.replace("_", "");
        if (joined.contains("secret") || joined.contains("password") || joined.contains("apikey")
                || joined.contains("cardnumber") || joined.contains("token")) {
            return true;
        }
        return Arrays.stream(name.split("_")).anyMatch(SECRET_WORDS::contains);
    }
}
