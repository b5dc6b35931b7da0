package dev.payrail.merchant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.payrail.platform.MasterKey;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/** Merchants and their API keys in PostgreSQL. */
@Repository
public class Merchants {

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final MasterKey masterKey;
    private final Clock clock;
    /**
     * Key hash → merchant id. Authentication runs on every request; a short-lived cache (Caffeine) saves a
     * database round trip per call while a revoked key stops working within the expiry.
     */
    private final Cache<String, UUID> merchantByKeyHash = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(Duration.ofSeconds(30))
            .build();

    public Merchants(JdbcClient jdbc, TransactionTemplate tx, MasterKey masterKey, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.masterKey = masterKey;
        this.clock = clock;
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

    /** The merchant owning this (unrevoked) API key. */
    public Optional<UUID> authenticate(String apiKey) {
        byte[] hash = ApiKeys.hash(apiKey);
        String cacheKey = HexFormat.of().formatHex(hash);
        UUID cached = merchantByKeyHash.getIfPresent(cacheKey);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<UUID> found = jdbc.sql("select merchant_id from api_keys where key_hash = ? and revoked_at is null")
                .param(hash).query(UUID.class).optional();
        found.ifPresent(id -> merchantByKeyHash.put(cacheKey, id));
        return found;
    }
}
