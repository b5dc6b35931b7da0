package dev.payrail.vault;

import dev.payrail.platform.BatchInsert;
import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.MasterKey;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import dev.payrail.platform.Sensitive;
import dev.payrail.platform.Worker;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps card numbers and CVCs for the time a payment needs them, and no longer. Each is sealed with AES-GCM
 * under the {@code card-vault} data key derived from the master key; the associated data binds a box to its
 * payment, its field and its key id, so a box copied to another row or column does not open. The payment refers
 * to its card by token; events, logs and API answers carry only BIN, last 4 and a keyed fingerprint.
 *
 * <p>Lifetime: the CVC is erased by the database in the transaction that moves the payment to a final status
 * (trigger {@code payments_final_settles_card}); the number is erased {@code PAYRAIL_VAULT_PAN_RETENTION} after
 * that (default 0: at the next sweep) by {@link #sweep()}.
 *
 * <p>Uses the JDK's AES-GCM: a library would add nothing for one authenticated-encryption primitive.
 */
@Component
public class CardVault {

    static final String PURPOSE = "card-vault";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final BatchInsert<SealedCard> ROWS = BatchInsert.ofRecord("card_vault", SealedCard.class);

    private static final Logger log = LoggerFactory.getLogger(CardVault.class);
    private static final int SWEEP_CHUNK_ROWS = 1_000;

    private final MasterKey.DataKey key;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration panRetention;

    CardVault(MasterKey masterKey, JdbcClient jdbc, Clock clock, PayrailProperties properties) {
        this.key = masterKey.dataKey(PURPOSE);
        this.jdbc = jdbc;
        this.clock = clock;
        this.panRetention = properties.vault().panRetention();
    }

    /**
     * Runs {@link #sweep()} every {@code PAYRAIL_VAULT_SWEEP} on the processing role, the one that finalises
     * payments; rows are claimed with {@code SKIP LOCKED}, so several nodes may sweep at once.
     */
    @Bean
    @ConditionalOnRole(Role.PROCESSING)
    Worker cardVaultSweepWorker(PayrailProperties properties, MeterRegistry meters) {
        return Worker.every(properties.vault().sweep(), "card-vault-sweep", meters, this::sweep);
    }

    /** Erases the numbers of cards whose payment has been final for longer than the retention; returns how many. */
    int sweep() {
        int erased = erasePans(clock.instant().minus(panRetention), SWEEP_CHUNK_ROWS);
        if (erased > 0) {
            log.info("erased the card numbers of {} settled payments", erased);
        }
        return erased;
    }

    /** Thrown when a stored box does not open: another master key, or data that was tampered with. */
    public static final class VaultException extends RuntimeException {
        private final boolean wrongKey;

        VaultException(String message, boolean wrongKey, @Nullable Throwable cause) {
            super(message, cause);
            this.wrongKey = wrongKey;
        }

        /**
         * The box was sealed under another key id than this node's master key gives: an operator's mistake in
         * configuration (the box itself may be fine), to be fixed by configuring the right key, not a reason to give
         * the payment up. Otherwise the box itself is broken (moved, edited, corrupted) and will never open.
         */
        public boolean wrongKey() {
            return wrongKey;
        }
    }

    /** Seals a card for {@code paymentId}; nothing is stored until the caller inserts {@link #rows()}. */
    public SealedCard seal(UUID paymentId, Sensitive number, @Nullable Sensitive cvc, Instant now) {
        byte[] numberBox = encrypt(number.value(), paymentId, "pan");
        byte[] cvcBox = cvc == null ? null : encrypt(cvc.value(), paymentId, "cvc");
        return new SealedCard(UUID.randomUUID(), paymentId, key.keyId(), numberBox, cvcBox, now);
    }

    /** The vault insert, for a caller composing its own statement (alias {@code r}, the table's column names). */
    public static BatchInsert<SealedCard> rows() {
        return ROWS;
    }

    /** The card of a payment, for the call to the acquirer; empty when there is none or it was erased. */
    public Optional<VaultedCard> open(UUID paymentId) {
        return jdbc.sql("select token, key_id, pan_enc, cvc_enc from card_vault where payment_id = ? and pan_enc is not null")
                .param(paymentId)
                .query((rs, row) -> {
                    String keyId = rs.getString("key_id");
                    if (!key.keyId().equals(keyId)) {
                        throw new VaultException("card of payment " + paymentId + " was sealed under key id " + keyId
                                + ", but the master key gives " + key.keyId() + "; was PAYRAIL_MASTER_KEY changed?",
                                true, null);
                    }
                    byte[] cvc = rs.getBytes("cvc_enc");
                    return new VaultedCard(rs.getObject("token", UUID.class), paymentId,
                            new Sensitive(decrypt(rs.getBytes("pan_enc"), paymentId, "pan")),
                            cvc == null ? null : new Sensitive(decrypt(cvc, paymentId, "cvc")));
                })
                .optional();
    }

    /** Erases the card numbers of payments settled before {@code settledBefore}, in chunks; returns how many. */
    private int erasePans(Instant settledBefore, int chunk) {
        int total = 0;
        int erased;
        do {
            erased = jdbc.sql("""
                    update card_vault set pan_enc = null, pan_erased_at = ?
                    where token in (select token from card_vault
                                    where pan_enc is not null and settled_at is not null and settled_at <= ?
                                    limit ? for update skip locked)""")
                    .params(Timestamp.from(settledBefore), Timestamp.from(settledBefore), chunk)
                    .update();
            total += erased;
        } while (erased == chunk);
        return total;
    }

    private byte[] encrypt(String plain, UUID paymentId, String field) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(paymentId, field));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.US_ASCII));
            return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private String decrypt(byte[] box, UUID paymentId, String field) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, box, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData(paymentId, field));
            return new String(cipher.doFinal(box, NONCE_BYTES, box.length - NONCE_BYTES), StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new VaultException("the " + field + " box of payment " + paymentId + " does not open", false, e);
        }
    }

    private byte[] associatedData(UUID paymentId, String field) {
        return ("payrail-card-vault|" + key.keyId() + "|" + paymentId + "|" + field).getBytes(StandardCharsets.US_ASCII);
    }
}
