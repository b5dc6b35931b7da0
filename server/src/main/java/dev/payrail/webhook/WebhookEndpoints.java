package dev.payrail.webhook;

import dev.payrail.merchant.Merchants;
import dev.payrail.platform.MasterKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * A merchant's webhook endpoints. Secrets are sealed with AES-GCM under a data key derived from the master key
 * (purpose {@code webhook-endpoint-secret}, its key id stored with the row) because Payrail must recover them to
 * sign; they are shown in full only when created or rotated.
 */
@Repository
public class WebhookEndpoints {

    static final String KEY_PURPOSE = "webhook-endpoint-secret";
    /** The merchant-facing event types an endpoint may subscribe to. */
    public static final Set<String> EVENT_TYPES = Set.of("payment.created", "payment.approved", "payment.declined",
            "payment.failed", "refund.succeeded", "refund.failed");
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COLUMNS = """
            endpoint_id, merchant_id, url, enabled, disabled_reason, event_types, created_at, updated_at,
            previous_secret_expires_at""";

    private final JdbcClient jdbc;
    private final MasterKey.DataKey key;
    private final Clock clock;
    private final EndpointUrlPolicy urlPolicy;
    private final Merchants merchants;

    WebhookEndpoints(JdbcClient jdbc, MasterKey masterKey, Clock clock, EndpointUrlPolicy urlPolicy, Merchants merchants) {
        this.jdbc = jdbc;
        this.merchants = merchants;
        this.key = masterKey.dataKey(KEY_PURPOSE);
        this.clock = clock;
        this.urlPolicy = urlPolicy;
    }

    /**
     * Why Payrail will not send to this URL (not http(s); outside embedded mode also plain http or an internal
     * address, see {@link EndpointUrlPolicy}), or empty when it will.
     */
    public Optional<String> refusal(String url) {
        return urlPolicy.refusal(url);
    }

    /** An endpoint as the APIs show it (never its secret). */
    public record Endpoint(UUID endpointId, UUID merchantId, String url, boolean enabled,
                           @Nullable String disabledReason, List<String> eventTypes, Instant createdAt,
                           Instant updatedAt, @Nullable Instant previousSecretExpiresAt) {

        /** Empty event types: every merchant-facing event except {@code payment.created}. */
        public boolean subscribes(String eventType) {
            return eventTypes.isEmpty() ? !"payment.created".equals(eventType) : eventTypes.contains(eventType);
        }
    }

    /** An endpoint with its secret, the one time it is shown. */
    public record WithSecret(Endpoint endpoint, String secret) {}

    /** Creates an endpoint with a new secret; joins the caller's transaction if there is one. */
    public WithSecret create(UUID merchantId, String url, List<String> eventTypes) {
        return create(merchantId, url, eventTypes, Signatures.newSecret());
    }

    WithSecret create(UUID merchantId, String url, List<String> eventTypes, String secret) {
        UUID id = UUID.randomUUID();
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.sql("""
                insert into webhook_endpoints (endpoint_id, merchant_id, url, secret_enc, secret_key_id, event_types,
                                               created_at, updated_at)
                values (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(id, merchantId, url, seal(secret), key.keyId(), eventTypes.toArray(String[]::new), now, now)
                .update();
        mirrorFirstUrl(merchantId);
        return new WithSecret(find(merchantId, id).orElseThrow(), secret);
    }

    public List<Endpoint> list(UUID merchantId) {
        return jdbc.sql("select " + COLUMNS + " from webhook_endpoints where merchant_id = ? order by created_at, endpoint_id")
                .param(merchantId).query(WebhookEndpoints::endpoint).list();
    }

    public Optional<Endpoint> find(UUID merchantId, UUID endpointId) {
        return jdbc.sql("select " + COLUMNS + " from webhook_endpoints where merchant_id = ? and endpoint_id = ?")
                .params(merchantId, endpointId).query(WebhookEndpoints::endpoint).optional();
    }

    /** Changes what is given (null: unchanged); enabling clears the reason it was disabled. */
    public Optional<Endpoint> update(UUID merchantId, UUID endpointId, @Nullable String url, @Nullable Boolean enabled,
                                     @Nullable List<String> eventTypes) {
        int updated = jdbc.sql("""
                update webhook_endpoints set url = coalesce(?, url), enabled = coalesce(?, enabled),
                       disabled_reason = case when coalesce(?, enabled) then null else disabled_reason end,
                       event_types = coalesce(?, event_types), updated_at = ?
                where merchant_id = ? and endpoint_id = ?""")
                .params(url, enabled, enabled, eventTypes == null ? null : eventTypes.toArray(String[]::new),
                        Timestamp.from(clock.instant()), merchantId, endpointId)
                .update();
        if (updated == 0) {
            return Optional.empty();
        }
        mirrorFirstUrl(merchantId);
        return find(merchantId, endpointId);
    }

    /**
     * The merchant's {@code webhook_url} (the prototype's single address, still in its admin answers) is its first
     * endpoint's address; kept so whenever endpoints change.
     */
    void mirrorFirstUrl(UUID merchantId) {
        jdbc.sql("select url from webhook_endpoints where merchant_id = ? order by created_at, endpoint_id limit 1")
                .param(merchantId).query(String.class).optional()
                .ifPresent(url -> merchants.mirrorWebhookUrl(merchantId, url));
    }

    public boolean delete(UUID merchantId, UUID endpointId) {
        boolean deleted = jdbc.sql("delete from webhook_endpoints where merchant_id = ? and endpoint_id = ?")
                .params(merchantId, endpointId).update() > 0;
        if (deleted) {
            mirrorFirstUrl(merchantId);
        }
        return deleted;
    }

    /** A new secret; the current one keeps signing (as a second signature) for {@code overlap}. */
    public Optional<WithSecret> rotate(UUID merchantId, UUID endpointId, Duration overlap) {
        String secret = Signatures.newSecret();
        Instant now = clock.instant();
        int updated = jdbc.sql("""
                update webhook_endpoints set previous_secret_enc = secret_enc, previous_secret_key_id = secret_key_id,
                       previous_secret_expires_at = ?, secret_enc = ?, secret_key_id = ?, updated_at = ?
                where merchant_id = ? and endpoint_id = ?""")
                .params(Timestamp.from(now.plus(overlap)), seal(secret), key.keyId(), Timestamp.from(now),
                        merchantId, endpointId)
                .update();
        return updated == 0 ? Optional.empty()
                : Optional.of(new WithSecret(find(merchantId, endpointId).orElseThrow(), secret));
    }

    /** Turns an endpoint off (410, or failing for a whole schedule); returns whether it was on. */
    boolean disable(UUID endpointId, String reason) {
        return jdbc.sql("""
                update webhook_endpoints set enabled = false, disabled_reason = ?, updated_at = ?
                where endpoint_id = ? and enabled""")
                .params(reason, Timestamp.from(clock.instant()), endpointId).update() > 0;
    }

    /** Turns an endpoint on again, e.g. when an operator redelivers to it. */
    void enable(UUID endpointId) {
        jdbc.sql("update webhook_endpoints set enabled = true, disabled_reason = null, updated_at = ? where endpoint_id = ? and not enabled")
                .params(Timestamp.from(clock.instant()), endpointId).update();
    }

    /**
     * The secrets that sign for this endpoint now: the current one, then the previous one while its rotation
     * overlap lasts. Empty when the endpoint is unknown or has no secret yet.
     */
    public List<String> signingSecrets(UUID endpointId) {
        record Sealed(byte @Nullable [] current, byte @Nullable [] previous, @Nullable Timestamp previousExpires) {}
        Optional<Sealed> row = jdbc.sql("""
                select secret_enc, previous_secret_enc, previous_secret_expires_at from webhook_endpoints
                where endpoint_id = ?""")
                .param(endpointId)
                .query((rs, n) -> new Sealed(rs.getBytes(1), rs.getBytes(2), rs.getTimestamp(3)))
                .optional();
        List<String> secrets = new ArrayList<>(2);
        row.ifPresent(sealed -> {
            if (sealed.current() != null) {
                secrets.add(open(sealed.current()));
            }
            if (sealed.previous() != null && sealed.previousExpires() != null
                    && sealed.previousExpires().toInstant().isAfter(clock.instant())) {
                secrets.add(open(sealed.previous()));
            }
        });
        return secrets;
    }

    /** Every secret that signs for any endpoint of the merchant now (for the receiver simulator). */
    public List<String> merchantSigningSecrets(UUID merchantId) {
        return jdbc.sql("select endpoint_id from webhook_endpoints where merchant_id = ?").param(merchantId)
                .query(UUID.class).list().stream().flatMap(id -> signingSecrets(id).stream()).toList();
    }

    /** Gives every endpoint without a secret (made by the migration from a merchant's webhook_url) a new one. */
    int fillMissingSecrets() {
        List<UUID> missing = jdbc.sql("select endpoint_id from webhook_endpoints where secret_enc is null")
                .query(UUID.class).list();
        int filled = 0;
        for (UUID id : missing) {
            filled += jdbc.sql("update webhook_endpoints set secret_enc = ?, secret_key_id = ? where endpoint_id = ? and secret_enc is null")
                    .params(seal(Signatures.newSecret()), key.keyId(), id).update();
        }
        return filled;
    }

    /** Sets a known secret and address (the demo endpoint in embedded mode). */
    void reset(UUID endpointId, String url, String secret) {
        jdbc.sql("update webhook_endpoints set url = ?, secret_enc = ?, secret_key_id = ?, updated_at = ? where endpoint_id = ?")
                .params(url, seal(secret), key.keyId(), Timestamp.from(clock.instant()), endpointId).update();
    }

    private byte[] seal(String secret) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(key.keyId().getBytes(StandardCharsets.US_ASCII));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private String open(byte[] box) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, box, 0, NONCE_BYTES));
            cipher.updateAAD(key.keyId().getBytes(StandardCharsets.US_ASCII));
            return new String(cipher.doFinal(box, NONCE_BYTES, box.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot open a webhook secret: wrong PAYRAIL_MASTER_KEY?", e);
        }
    }

    private static Endpoint endpoint(ResultSet rs, int row) throws SQLException {
        Array types = rs.getArray("event_types");
        Timestamp previous = rs.getTimestamp("previous_secret_expires_at");
        return new Endpoint(rs.getObject("endpoint_id", UUID.class), rs.getObject("merchant_id", UUID.class),
                rs.getString("url"), rs.getBoolean("enabled"), rs.getString("disabled_reason"),
                types == null ? List.of() : Arrays.asList((String[]) types.getArray()),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
                previous == null ? null : previous.toInstant());
    }
}
