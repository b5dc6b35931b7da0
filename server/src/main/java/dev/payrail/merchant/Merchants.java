package dev.payrail.merchant;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.payrail.platform.MasterKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/** Merchants and their API keys in PostgreSQL. */
@Repository
public class Merchants {

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
    private final Counter lookups;
    /**
     * Key hash → merchant id. Authentication runs on every request; a short-lived cache (Caffeine) saves a
     * database round trip per call while a revoked key stops working within the expiry. The values are futures so
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
    private record Lookup(UUID merchantId, RuntimeException failure) {}

    public Merchants(JdbcClient jdbc, JdbcTemplate jdbcTemplate, TransactionTemplate tx, MasterKey masterKey,
                     Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.tx = tx;
        this.masterKey = masterKey;
        this.clock = clock;
        this.lookups = Counter.builder("payrail.api_key.lookups")
                .description("API-key lookups that went to the database (cache misses, one per key at a time)")
                .register(meters);
    }

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
     * characters, the newest unrevoked API key's prefix), never in full.
     */
    public record Listed(UUID merchantId, String name, String webhookUrl, String apiSecretPrefix,
                         @org.jspecify.annotations.Nullable String apiKeyPrefix, java.time.Instant createdAt) {}

    /** Every merchant, oldest first. */
    public java.util.List<Listed> list() {
        return jdbc.sql("""
                select m.merchant_id, m.name, m.webhook_url, m.webhook_secret_enc, m.created_at,
                       (select k.key_prefix from api_keys k where k.merchant_id = m.merchant_id and k.revoked_at is null
                        order by k.created_at desc limit 1) as key_prefix
                from merchants m order by m.created_at, m.merchant_id""")
                .query((rs, row) -> {
                    String secret = masterKey.decrypt(rs.getBytes("webhook_secret_enc"));
                    return new Listed(rs.getObject("merchant_id", UUID.class), rs.getString("name"),
                            rs.getString("webhook_url"), secret.substring(0, Math.min(4, secret.length())) + "…",
                            rs.getString("key_prefix"), rs.getTimestamp("created_at").toInstant());
                })
                .list();
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

    /** Revokes {@code apiKey} if it exists and is live; returns whether it did. Takes effect within the cache expiry. */
    public boolean revokeApiKey(String apiKey) {
        return jdbc.sql("update api_keys set revoked_at = ? where key_hash = ? and revoked_at is null")
                .params(Timestamp.from(clock.instant()), ApiKeys.hash(apiKey))
                .update() > 0;
    }

    /**
     * The merchant owning this (unrevoked) API key. Throws a {@link org.springframework.dao.DataAccessException}
     * when the database does not answer within {@link #LOOKUP_NETWORK_TIMEOUT} (plus the pool's connection
     * timeout).
     */
    public Optional<UUID> authenticate(String apiKey) {
        byte[] hash = ApiKeys.hash(apiKey);
        String cacheKey = HexFormat.of().formatHex(hash);
        CompletableFuture<Lookup> mine = new CompletableFuture<>();
        CompletableFuture<Lookup> shared = merchantByKeyHash.get(cacheKey, (key, executor) -> mine);
        if (shared == mine) {
            // This request is the one that asks; concurrent requests with the same key wait for its answer.
            Lookup lookup = null;
            try {
                lookup = lookup(hash);
            } finally {
                if (lookup == null || lookup.merchantId() == null) {
                    // Only a found merchant is kept: the next request for an unknown key, or after a failure,
                    // asks again.
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
        return Optional.ofNullable(answer.merchantId());
    }

    private Lookup lookup(byte[] hash) {
        try {
            return new Lookup(select(hash), null);
        } catch (RuntimeException e) {
            return new Lookup(null, e);
        }
    }

    private UUID select(byte[] hash) {
        lookups.increment();
        return jdbcTemplate.execute((ConnectionCallback<UUID>) connection -> {
            // The pool restores the connection's network timeout when it is returned.
            connection.setNetworkTimeout(Runnable::run, (int) LOOKUP_NETWORK_TIMEOUT.toMillis());
            try (PreparedStatement statement = connection.prepareStatement(
                    "select merchant_id from api_keys where key_hash = ? and revoked_at is null")) {
                statement.setQueryTimeout((int) LOOKUP_TIMEOUT.toSeconds());
                statement.setBytes(1, hash);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? rows.getObject(1, UUID.class) : null;
                }
            }
        });
    }
}
