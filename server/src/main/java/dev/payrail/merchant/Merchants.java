package dev.payrail.merchant;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.payrail.platform.MasterKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Merchants and their API keys in PostgreSQL. */
@Repository
@RequiredArgsConstructor
public class Merchants {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Merchants.class);

    /**
     * Longest wait for the API-key lookup in the database (statement timeout: a lock on {@code api_keys}, an
     * overloaded server). A server that is frozen would not even read the cancel request, so the socket gets a
     * network timeout one second longer, which ends the wait without a cleanly cancelled statement. Taking a
     * connection from the pool is bounded separately, by Hikari's connection timeout.
     */
    static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(2);
    static final Duration LOOKUP_NETWORK_TIMEOUT = LOOKUP_TIMEOUT.plusSeconds(1);

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final TransactionTemplate tx;
    private final MasterKey masterKey;
    private final Clock clock;
    private final MeterRegistry meters;
    /**
     * Key hash → its owner. Authentication runs on every request; a short-lived cache (Caffeine) saves a
     * database round trip per call. Every change made on this node (a key revoked, rotated or replaced, a merchant
     * suspended, resumed or deleted) empties it after its commit ({@link #forgetCachedKeys}), so it applies here at
     * once; other nodes see it within the expiry. The values are futures so
     * that concurrent misses for one key wait for one lookup instead of each taking a connection, and share its
     * failure too. A key that is not found is not kept, so a key created a moment ago works at once.
     */
    private final AsyncCache<String, Lookup> merchantByKeyHash = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(Duration.ofSeconds(30))
            .buildAsync();

    /**
     * One lookup's outcome: the merchant, nobody, or why the database could not say. A failure is a value here,
     * not an exceptionally completed future, because Caffeine would log each of those with its stack trace, and
     * during an outage that is one per request.
     */
    private record Lookup(@Nullable KeyOwner owner, @Nullable Instant expiresAt, @Nullable RuntimeException failure) {}

    /** Moves on at every invalidation, so a lookup that overlapped one does not put a stale answer back. */
    private final AtomicLong generation = new AtomicLong();

    /** Thrown when the chosen API key already belongs to a merchant. */
    public static final class ApiKeyTakenException extends RuntimeException {
        ApiKeyTakenException() {
            super("API key already in use", null, false, false);
        }
    }

    public Merchant create(UUID merchantId, String name, String webhookUrl, String webhookSecret, String apiKey) {
        Instant now = clock.instant();
        Timestamp ts = Timestamp.from(now);
        try {
            tx.executeWithoutResult(status -> {
                jdbc.sql("""
                        insert into merchants (merchant_id, name, webhook_url, webhook_secret_enc, created_at, updated_at)
                        values (?, ?, ?, ?, ?, ?)""")
                        .params(merchantId, name, webhookUrl, masterKey.encrypt(webhookSecret), ts, ts)
                        .update();
                jdbc.sql("""
                        insert into api_keys (api_key_id, merchant_id, key_hash, key_prefix, created_at)
                        values (?, ?, ?, ?, ?)""")
                        .params(UUID.randomUUID(), merchantId, ApiKeys.hash(apiKey), ApiKeys.prefix(apiKey), ts)
                        .update();
            });
        } catch (DuplicateKeyException e) {
            throw new ApiKeyTakenException();
        }
        return new Merchant(merchantId, name, webhookUrl, now);
    }

    /**
     * A merchant as the operators' list shows it: secrets only as a prefix ({@code api_secret}'s first 4
     * characters, the prefix of its newest live API key), never in full.
     */
    public record Listed(UUID merchantId, String name, String webhookUrl, String apiSecretPrefix,
                         @Nullable String apiKeyPrefix, Instant createdAt, Instant updatedAt,
                         @Nullable Instant suspendedAt) {

        /** {@code active} or {@code suspended}. */
        public String status() {
            return suspendedAt == null ? "active" : "suspended";
        }
    }

    private static final String LISTED_COLUMNS = """
            m.merchant_id, m.name, m.webhook_url, m.webhook_secret_enc, m.created_at, m.updated_at, m.suspended_at,
            (select k.key_prefix from api_keys k
             where k.merchant_id = m.merchant_id and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())
             order by k.expires_at is null desc, k.created_at desc limit 1) as key_prefix""";

    /** Every merchant, oldest first. */
    public List<Listed> list() {
        return jdbc.sql("select " + LISTED_COLUMNS + " from merchants m order by m.created_at, m.merchant_id")
                .query(this::listed).list();
    }

    /** One merchant as the list shows it. */
    public Optional<Listed> find(UUID merchantId) {
        return jdbc.sql("select " + LISTED_COLUMNS + " from merchants m where m.merchant_id = ?")
                .param(merchantId).query(this::listed).optional();
    }

    /**
     * The merchant as it is before a change, its row locked until the caller's transaction ends, so two
     * operators' changes (and their audit records) follow one another.
     */
    /**
     * The first characters of the merchant's api_secret, for lists. A secret that cannot be decrypted (a row
     * written under another master key, or damaged) shows as {@code (unreadable)} and is logged, so that one bad
     * row does not take the whole list of merchants down.
     */
    private String secretPrefix(UUID merchantId, byte[] sealed) {
        try {
            String secret = masterKey.decrypt(sealed);
            return secret.substring(0, Math.min(4, secret.length())) + "…";
        } catch (RuntimeException unreadable) {
            log.warn("merchant {}: its api_secret cannot be decrypted with the current master key ({})", merchantId,
                    unreadable.getClass().getSimpleName());
            return "(unreadable)";
        }
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<Listed> lockForChange(UUID merchantId) {
        return jdbc.sql("select " + LISTED_COLUMNS + " from merchants m where m.merchant_id = ? for update of m")
                .param(merchantId).query(this::listed).optional();
    }

    private Listed listed(ResultSet rs, int row) throws SQLException {
        UUID merchantId = rs.getObject("merchant_id", UUID.class);
        Timestamp suspended = rs.getTimestamp("suspended_at");
        return new Listed(merchantId, rs.getString("name"),
                rs.getString("webhook_url"), secretPrefix(merchantId, rs.getBytes("webhook_secret_enc")),
                rs.getString("key_prefix"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(), suspended == null ? null : suspended.toInstant());
    }

    /**
     * Changes what is given (null: unchanged): the name, the {@code webhook_url} (the caller keeps the first
     * webhook endpoint in step), the {@code api_secret} (stored encrypted). Runs in the caller's transaction.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void update(UUID merchantId, @Nullable String name, @Nullable String webhookUrl, @Nullable String apiSecret) {
        jdbc.sql("""
                update merchants set name = coalesce(?, name), webhook_url = coalesce(?, webhook_url),
                       webhook_secret_enc = coalesce(?, webhook_secret_enc), updated_at = ?
                where merchant_id = ?""")
                .params(name, webhookUrl, apiSecret == null ? null : masterKey.encrypt(apiSecret),
                        Timestamp.from(clock.instant()), merchantId)
                .update();
    }

    /**
     * Keeps {@code webhook_url} equal to the merchant's first webhook endpoint's address (the webhook module calls
     * this when that endpoint changes), since the prototype's single {@code webhook_url} is that endpoint.
     */
    public void mirrorWebhookUrl(UUID merchantId, String url) {
        jdbc.sql("update merchants set webhook_url = ?, updated_at = ? where merchant_id = ? and webhook_url <> ?")
                .params(url, Timestamp.from(clock.instant()), merchantId, url).update();
    }

    /** Suspends or resumes the merchant; false when it already stood so. Applies to its API keys at once here. */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean setSuspended(UUID merchantId, boolean suspended) {
        Timestamp now = Timestamp.from(clock.instant());
        int changed = jdbc.sql("""
                update merchants set suspended_at = ?, updated_at = ?
                where merchant_id = ? and (suspended_at is null) = ?""")
                .params(suspended ? now : null, now, merchantId, suspended).update();
        forgetCachedKeys();
        return changed > 0;
    }

    /** Thrown by {@link #delete} when payments (or refunds) still refer to the merchant. */
    public static final class MerchantHasPaymentsException extends RuntimeException {
        MerchantHasPaymentsException() {
            super("the merchant has payments", null, false, false);
        }
    }

    /**
     * Deletes the merchant with its API keys and webhook endpoints (the foreign keys cascade). A merchant with
     * payments cannot go: the payments' foreign key refuses, even a payment committed a moment ago by a request
     * that authenticated before the delete. Runs in the caller's transaction, which the refusal spoils.
     *
     * @throws MerchantHasPaymentsException when it has payments
     * @return false when there was no such merchant
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean delete(UUID merchantId) {
        int deleted;
        try {
            deleted = jdbc.sql("delete from merchants where merchant_id = ?").param(merchantId).update();
        } catch (DataIntegrityViolationException e) {
            throw new MerchantHasPaymentsException();
        }
        forgetCachedKeys();
        return deleted > 0;
    }

    /** An API key as operators see it: never the key, only its prefix. */
    public record ApiKey(UUID apiKeyId, UUID merchantId, String prefix, Instant createdAt, @Nullable Instant lastUsedAt,
                         @Nullable Instant revokedAt, @Nullable Instant expiresAt, @Nullable UUID replacedBy) {

        /** {@code active}, {@code rotated} (still working until {@code expiresAt}), {@code expired} or {@code revoked}. */
        public String status(Instant now) {
            if (revokedAt != null) {
                return "revoked";
            }
            if (expiresAt == null) {
                return "active";
            }
            return now.isBefore(expiresAt) ? "rotated" : "expired";
        }
    }

    /** A new key and its full value, the one time that is shown. */
    public record IssuedKey(ApiKey key, String apiKey) {
        @Override
        public String toString() {
            return "IssuedKey[" + key + ", apiKey=" + key.prefix() + "]";
        }
    }

    /** A rotation's outcome: the new key, and the old one with the end of its grace period. */
    public record Rotation(IssuedKey successor, ApiKey previous) {}

    /** Thrown when a key cannot be rotated: it is revoked or was rotated already. */
    public static final class ApiKeyNotLiveException extends RuntimeException {
        private final String code;

        ApiKeyNotLiveException(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private static final String KEY_COLUMNS =
            "api_key_id, merchant_id, key_prefix, created_at, last_used_at, revoked_at, expires_at, replaced_by";

    /** The merchant's API keys, newest first. */
    public List<ApiKey> apiKeys(UUID merchantId) {
        return jdbc.sql("select " + KEY_COLUMNS + " from api_keys where merchant_id = ? order by created_at desc, api_key_id")
                .param(merchantId).query(Merchants::apiKey).list();
    }

    /** One of the merchant's API keys (an operator's rotation or revocation: a handful of keys, read as a list). */
    public Optional<ApiKey> apiKey(UUID merchantId, UUID apiKeyId) {
        return apiKeys(merchantId).stream().filter(key -> key.apiKeyId().equals(apiKeyId)).findFirst();
    }

    /**
     * A new API key for the merchant, beside its others: {@code chosen} (the prototype let operators pick one) or a
     * fresh random one.
     *
     * @throws ApiKeyTakenException when the chosen key is in use
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public IssuedKey issueApiKey(UUID merchantId, @Nullable String chosen) {
        String key = chosen != null ? chosen : ApiKeys.generate();
        UUID id = UUID.randomUUID();
        try {
            jdbc.sql("""
                    insert into api_keys (api_key_id, merchant_id, key_hash, key_prefix, created_at)
                    values (?, ?, ?, ?, ?)""")
                    .params(id, merchantId, ApiKeys.hash(key), ApiKeys.prefix(key), Timestamp.from(clock.instant()))
                    .update();
        } catch (DuplicateKeyException e) {
            throw new ApiKeyTakenException();
        }
        return new IssuedKey(apiKey(merchantId, id).orElseThrow(), key);
    }

    /**
     * Replaces every live key of the merchant by {@code apiKey} at once (the prototype's {@code PATCH api_key}: a
     * merchant had one key, and setting it replaced the old one).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public IssuedKey replaceApiKeys(UUID merchantId, String apiKey) {
        byte[] hash = ApiKeys.hash(apiKey);
        jdbc.sql("update api_keys set revoked_at = ? where merchant_id = ? and revoked_at is null and key_hash <> ?")
                .params(Timestamp.from(clock.instant()), merchantId, hash).update();
        forgetCachedKeys();
        // Setting the key the merchant already has keeps it (and only it).
        Optional<ApiKey> kept = jdbc.sql("select " + KEY_COLUMNS
                        + " from api_keys where merchant_id = ? and key_hash = ? and revoked_at is null")
                .params(merchantId, hash).query(Merchants::apiKey).optional();
        return kept.map(key -> new IssuedKey(key, apiKey)).orElseGet(() -> issueApiKey(merchantId, apiKey));
    }

    /**
     * Issues a successor to a live key; the old key keeps working for {@code grace}, so the merchant can deploy
     * the new one without an outage.
     *
     * @throws ApiKeyNotLiveException {@code api_key_revoked} or {@code api_key_rotated}
     * @return empty when the merchant has no such key
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<Rotation> rotateApiKey(UUID merchantId, UUID apiKeyId, Duration grace) {
        Optional<ApiKey> current = jdbc.sql("select " + KEY_COLUMNS
                        + " from api_keys where merchant_id = ? and api_key_id = ? for update")
                .params(merchantId, apiKeyId).query(Merchants::apiKey).optional();
        if (current.isEmpty()) {
            return Optional.empty();
        }
        if (current.get().revokedAt() != null) {
            throw new ApiKeyNotLiveException("api_key_revoked", "The API key is revoked; issue a new one instead.");
        }
        if (current.get().expiresAt() != null) {
            throw new ApiKeyNotLiveException("api_key_rotated",
                    "The API key was rotated already; rotate its successor instead.");
        }
        IssuedKey successor = issueApiKey(merchantId, null);
        jdbc.sql("update api_keys set expires_at = ?, replaced_by = ? where api_key_id = ?")
                .params(Timestamp.from(clock.instant().plus(grace)), successor.key().apiKeyId(), apiKeyId).update();
        forgetCachedKeys();
        return Optional.of(new Rotation(successor, apiKey(merchantId, apiKeyId).orElseThrow()));
    }

    /** Revokes a key at once (on this node; others within the cache expiry). Revoking a revoked key changes nothing. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<ApiKey> revokeApiKey(UUID merchantId, UUID apiKeyId) {
        jdbc.sql("update api_keys set revoked_at = ? where merchant_id = ? and api_key_id = ? and revoked_at is null")
                .params(Timestamp.from(clock.instant()), merchantId, apiKeyId).update();
        forgetCachedKeys();
        return apiKey(merchantId, apiKeyId);
    }

    /** Writes when keys were last used: key id → time, each only moving forward. */
    void recordLastUse(Map<UUID, Instant> used) {
        if (used.isEmpty()) {
            return;
        }
        List<Map.Entry<UUID, Instant>> entries = List.copyOf(used.entrySet());
        jdbc.sql("""
                update api_keys k set last_used_at = to_timestamp(u.at_ms / 1000.0)
                from unnest(?::uuid[], ?::bigint[]) as u(id, at_ms)
                where k.api_key_id = u.id and (k.last_used_at is null or k.last_used_at < to_timestamp(u.at_ms / 1000.0))""")
                .params(entries.stream().map(Map.Entry::getKey).toArray(UUID[]::new),
                        entries.stream().map(e -> e.getValue().toEpochMilli()).toArray(Long[]::new))
                .update();
    }

    private static ApiKey apiKey(ResultSet rs, int row) throws SQLException {
        return new ApiKey(rs.getObject("api_key_id", UUID.class), rs.getObject("merchant_id", UUID.class),
                rs.getString("key_prefix"), rs.getTimestamp("created_at").toInstant(),
                instant(rs.getTimestamp("last_used_at")), instant(rs.getTimestamp("revoked_at")),
                instant(rs.getTimestamp("expires_at")), rs.getObject("replaced_by", UUID.class));
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    /** How many merchants there are. */
    public long count() {
        return jdbc.sql("select count(*) from merchants").query(Long.class).single();
    }

    /**
     * The merchant's {@code api_secret} (the prototype's webhook signing secret, behind {@code X-Signature}),
     * decrypted; empty when there is no such merchant.
     */
    public Optional<String> apiSecret(UUID merchantId) {
        return jdbc.sql("select webhook_secret_enc from merchants where merchant_id = ?")
                .param(merchantId).query(byte[].class).optional().map(masterKey::decrypt);
    }

    /** The merchant's {@code webhook_url}, the first endpoint's address at creation. */
    public Optional<String> webhookUrl(UUID merchantId) {
        return jdbc.sql("select webhook_url from merchants where merchant_id = ?")
                .param(merchantId).query(String.class).optional();
    }

    public boolean exists(UUID merchantId) {
        return jdbc.sql("select exists(select 1 from merchants where merchant_id = ?)")
                .param(merchantId).query(Boolean.class).single();
    }

    /** Revokes {@code apiKey} if it exists and is live; returns whether it did. */
    public boolean revokeApiKey(String apiKey) {
        boolean revoked = jdbc.sql("update api_keys set revoked_at = ? where key_hash = ? and revoked_at is null")
                .params(Timestamp.from(clock.instant()), ApiKeys.hash(apiKey))
                .update() > 0;
        forgetCachedKeys();
        return revoked;
    }

    /**
     * Who a live API key belongs to: the merchant, the key, and whether the merchant is suspended. A revoked key
     * and a rotated key past its grace period belong to nobody.
     */
    public record KeyOwner(UUID merchantId, UUID apiKeyId, boolean suspended) {}

    /**
     * The owner of this API key, if the key is live. Throws a {@link org.springframework.dao.DataAccessException}
     * when the database does not answer within {@link #LOOKUP_NETWORK_TIMEOUT} (plus the pool's connection
     * timeout).
     */
    public Optional<KeyOwner> authenticate(String apiKey) {
        byte[] hash = ApiKeys.hash(apiKey);
        String cacheKey = HexFormat.of().formatHex(hash);
        CompletableFuture<Lookup> mine = new CompletableFuture<>();
        CompletableFuture<Lookup> shared = merchantByKeyHash.get(cacheKey, (key, executor) -> mine);
        if (shared == mine) {
            // This request is the one that asks; concurrent requests with the same key wait for its answer.
            long generationBefore = generation.get();
            Lookup lookup = null;
            try {
                lookup = lookup(hash);
            } finally {
                // Only a found key is kept: the next request for an unknown key, or after a failure, asks again.
                // Nor is an answer kept that a change on this node may have made stale while it was read.
                if (lookup == null || lookup.owner() == null || generation.get() != generationBefore) {
                    merchantByKeyHash.asMap().remove(cacheKey, mine);
                }
                if (lookup != null) {
                    mine.complete(lookup);
                } else {
                    mine.completeExceptionally(new IllegalStateException("API-key lookup did not finish"));
                }
            }
        }
        Lookup answer;
        try {
            answer = shared.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("API-key lookup failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while authenticating", e);
        }
        if (answer.failure() != null) {
            throw answer.failure();
        }
        KeyOwner owner = answer.owner();
        if (owner == null || (answer.expiresAt() != null && !clock.instant().isBefore(answer.expiresAt()))) {
            return Optional.empty();
        }
        return Optional.of(owner);
    }

    /**
     * Drops every cached key on this node once the caller's transaction commits (at once without one): every
     * change to a key or a merchant's standing calls this, so it applies here at the next request. Other nodes
     * see it within the cache's expiry. Invalidating only after the commit matters: a lookup between an earlier
     * invalidation and the commit would read, and cache, the state before the change.
     */
    void forgetCachedKeys() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    invalidateKeyCache();
                }
            });
        } else {
            invalidateKeyCache();
        }
    }

    private void invalidateKeyCache() {
        generation.incrementAndGet();
        merchantByKeyHash.synchronous().invalidateAll();
    }

    private Lookup lookup(byte[] hash) {
        try {
            return select(hash);
        } catch (RuntimeException e) {
            return new Lookup(null, null, e);
        }
    }

    private Lookup select(byte[] hash) {
        Counter.builder("payrail.api_key.lookups")
                .description("API-key lookups that went to the database (cache misses, one per key at a time)")
                .register(meters).increment();
        return jdbcTemplate.execute((ConnectionCallback<Lookup>) connection -> {
            // The pool restores the connection's network timeout when it is returned.
            connection.setNetworkTimeout(Runnable::run, (int) LOOKUP_NETWORK_TIMEOUT.toMillis());
            try (PreparedStatement statement = connection.prepareStatement("""
                    select k.merchant_id, k.api_key_id, m.suspended_at is not null, k.expires_at
                    from api_keys k join merchants m on m.merchant_id = k.merchant_id
                    where k.key_hash = ? and k.revoked_at is null""")) {
                statement.setQueryTimeout((int) LOOKUP_TIMEOUT.toSeconds());
                statement.setBytes(1, hash);
                try (ResultSet rows = statement.executeQuery()) {
                    if (!rows.next()) {
                        return new Lookup(null, null, null);
                    }
                    Timestamp expires = rows.getTimestamp(4);
                    return new Lookup(new KeyOwner(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class),
                            rows.getBoolean(3)), expires == null ? null : expires.toInstant(), null);
                }
            }
        });
    }
}
