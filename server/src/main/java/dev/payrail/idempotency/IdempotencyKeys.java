package dev.payrail.idempotency;

import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.BatchInsert;
import dev.payrail.platform.BatchInsert.Type;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Idempotency for any {@code POST}: key storage, replay and conflict rules in one place. The database decides
 * who gets a key — an insert with {@code ON CONFLICT DO NOTHING} on the primary key (merchant, key) — never a
 * read-then-write race: a second request with the key waits for the first one's transaction and then sees its
 * answer.
 *
 * <p>Two ways in:
 * <ul>
 *   <li>{@link #execute}: one request, one transaction — claim the key, run the operation, store its answer,
 *       commit. For refunds and every later {@code POST}.</li>
 *   <li>{@link #claims()} + {@link #storedRecords} + {@link #verdict}: for a batch writer that claims many keys
 *       in the same statement as its own rows (the intake's group commit).</li>
 * </ul>
 * A refused request (validation, authentication, a failed operation) stores nothing, so it can be corrected and
 * sent again with the same key. Keys expire after {@code payrail.idempotency.retention} (see
 * {@link IdempotencyKeyPurge}).
 */
@Component
@RequiredArgsConstructor
public class IdempotencyKeys {

    private static final BatchInsert<Claim> CLAIMS = BatchInsert.<Claim>into("idempotency_keys")
            .column("merchant_id", Type.UUID, c -> c.key().merchantId())
            .column("idempotency_key", Type.TEXT, c -> c.key().key())
            .column("operation", Type.TEXT, Claim::operation)
            .column("request_hash", Type.TEXT, Claim::requestHash)
            .column("resource_id", Type.UUID, Claim::resourceId)
            .column("response_status", Type.INT4, c -> c.answer().status())
            .column("response_body", Type.TEXT, c -> c.answer().body())
            .column("created_at", Type.TIMESTAMP, Claim::createdAt)
            .column("expires_at", Type.TIMESTAMP, Claim::expiresAt)
            .build();

    /** What the key holds: which operation used it, the request's hash, and the answer given. */
    public record StoredRecord(String operation, String requestHash, @Nullable StoredAnswer answer) {}

    /** The outcome of {@link #execute}. */
    public sealed interface Result {
        /** The operation ran now under this key; this is its answer. */
        record Executed(StoredAnswer answer) implements Result {}

        /** The key had been used for this same request; the first answer again. */
        record Replayed(StoredAnswer answer) implements Result {}
    }

    /** What an operation run by {@link #execute} produced: its answer and the resource it made, if any. */
    public record Performed(@Nullable UUID resourceId, StoredAnswer answer) {}

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    /**
     * Runs {@code operation} at most once for {@code key}, in one transaction with the key: the operation's
     * writes, the key and its answer commit together or not at all. A concurrent request with the same key
     * waits for this one, then gets its answer replayed (or a conflict when its request differs).
     *
     * @throws ApiProblem 422 {@code idempotency_key_reuse} when the key was used for a different request
     */
    public Result execute(IdempotencyKey key, String operation, String requestHash, Duration retention,
                          Supplier<Performed> work) {
        Instant now = clock.instant();
        Result result = tx.execute(status -> {
            int claimed = jdbc.sql("""
                    insert into idempotency_keys (merchant_id, idempotency_key, operation, request_hash, created_at,
                                                  expires_at)
                    values (?, ?, ?, ?, ?, ?) on conflict do nothing""")
                    .params(key.merchantId(), key.key(), operation, requestHash, Timestamp.from(now),
                            Timestamp.from(now.plus(retention)))
                    .update();
            if (claimed == 0) {
                StoredRecord stored = storedRecord(key);
                return stored == null ? null : replayOrRefuse(stored, operation, requestHash);
            }
            Performed performed = work.get();
            jdbc.sql("""
                    update idempotency_keys set resource_id = ?, response_status = ?, response_body = ?
                    where merchant_id = ? and idempotency_key = ?""")
                    .params(performed.resourceId(), performed.answer().status(), performed.answer().body(),
                            key.merchantId(), key.key())
                    .update();
            return new Result.Executed(performed.answer());
        });
        // null: the key expired and was purged between our insert and our read; it is free again.
        return result != null ? result : execute(key, operation, requestHash, retention, work);
    }

    private static Result replayOrRefuse(StoredRecord stored, String operation, String requestHash) {
        return switch (verdict(stored, operation, requestHash)) {
            case Verdict.Replay replay -> new Result.Replayed(replay.answer());
            case Verdict.Conflict conflict -> throw reuse();
        };
    }

    /** Compares a new request with what its key holds. */
    public static Verdict verdict(StoredRecord stored, String operation, String requestHash) {
        if (stored.answer() != null && stored.operation().equals(operation) && stored.requestHash().equals(requestHash)) {
            return new Verdict.Replay(stored.answer());
        }
        return new Verdict.Conflict();
    }

    /** The refusal for a key used with a different request; nothing changed. */
    public static ApiProblem reuse() {
        return new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency_key_reuse",
                "This Idempotency-Key was already used with a different request.");
    }

    /**
     * The key insert for a batch writer composing its own statement (alias {@code r}); append
     * {@code on conflict do nothing returning merchant_id, idempotency_key} to learn which keys were won.
     */
    public static BatchInsert<Claim> claims() {
        return CLAIMS;
    }

    /** What the given keys hold, read on the caller's connection (keys absent from the map are free). */
    public static Map<IdempotencyKey, StoredRecord> storedRecords(Connection c, Collection<IdempotencyKey> keys)
            throws SQLException {
        Map<IdempotencyKey, StoredRecord> found = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select merchant_id, idempotency_key, operation, request_hash, response_status, response_body
                from idempotency_keys
                where (merchant_id, idempotency_key) in (select * from unnest(?::uuid[], ?::text[]))""")) {
            ps.setArray(1, c.createArrayOf("uuid", keys.stream().map(IdempotencyKey::merchantId).toArray()));
            ps.setArray(2, c.createArrayOf("text", keys.stream().map(IdempotencyKey::key).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(new IdempotencyKey(rs.getObject(1, UUID.class), rs.getString(2)), record(rs));
                }
            }
        }
        return found;
    }

    private @Nullable StoredRecord storedRecord(IdempotencyKey key) {
        return jdbc.sql("""
                        select merchant_id, idempotency_key, operation, request_hash, response_status, response_body
                        from idempotency_keys where merchant_id = ? and idempotency_key = ?""")
                .params(key.merchantId(), key.key())
                .query((rs, row) -> record(rs))
                .optional().orElse(null);
    }

    private static StoredRecord record(ResultSet rs) throws SQLException {
        String body = rs.getString("response_body");
        StoredAnswer answer = body == null ? null : new StoredAnswer(rs.getInt("response_status"), body);
        return new StoredRecord(rs.getString("operation"), rs.getString("request_hash"), answer);
    }
}
