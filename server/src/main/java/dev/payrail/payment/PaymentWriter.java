package dev.payrail.payment;

import dev.payrail.idempotency.Claim;
import dev.payrail.idempotency.IdempotencyKey;
import dev.payrail.idempotency.IdempotencyKeys;
import dev.payrail.idempotency.StoredAnswer;
import dev.payrail.idempotency.Verdict;
import dev.payrail.outbox.Outbox;
import dev.payrail.outbox.OutboxEntry;
import dev.payrail.platform.BatchInsert;
import dev.payrail.platform.BatchInsert.Type;
import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.GroupCommit;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import dev.payrail.platform.Worker;
import dev.payrail.vault.CardVault;
import dev.payrail.vault.SealedCard;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/**
 * Group commit for payment intake. Each request hands its fully prepared rows to a queue and waits; a few
 * writer threads each take everything queued (up to {@code payrail.writer.batch}) and write it in ONE
 * transaction — idempotency keys, payments, sealed cards and outbox events in a single set-based statement, so
 * one round trip — then answer every request in the batch after the commit is durable. Under load one fsync is
 * shared by many payments; under no load a batch is one request and nothing waits for company.
 *
 * <p>Idempotency is decided by the database, not by a read-then-write race: a key row is inserted with
 * {@code ON CONFLICT DO NOTHING}; only requests whose key row was inserted get a payment. Requests with a key
 * already taken (earlier, in another batch, or on another node) read the stored first answer after commit and
 * get it replayed, or a refusal when their request differs. Keys are inserted in sorted order so two batches
 * can never deadlock on each other's keys. Each table's part of the statement comes from the module that owns
 * the table ({@link IdempotencyKeys#claims()}, {@link CardVault#rows()}, {@link Outbox#rows()}).
 */
@Component
@ConditionalOnRole(Role.API)
public class PaymentWriter {

    private static final Logger log = LoggerFactory.getLogger(PaymentWriter.class);
    static final String OPERATION = "payment.create";

    /** The answer a waiting request gets. */
    public sealed interface WriteResult {
        record Created(String body) implements WriteResult {}

        record Replayed(int status, String body) implements WriteResult {}

        record KeyReused() implements WriteResult {}

        /** The merchant was deleted after its request authenticated: the payment has nobody to belong to. */
        record MerchantGone() implements WriteResult {}
    }

    /**
     * One request's rows, ready to insert, and the future its HTTP thread waits on.
     *
     * @param claim the idempotency key it takes (null without an Idempotency-Key)
     * @param card  the sealed card (null without a card)
     */
    public record Submission(Payment payment, String responseBody, OutboxEntry event, @Nullable Claim claim,
                             @Nullable SealedCard card, CompletableFuture<WriteResult> result) {

        @Nullable IdempotencyKey key() {
            return claim == null ? null : claim.key();
        }
    }

    /** Too many requests are already waiting, or the writer is stopping; the caller answers 503. */
    public static final class OverloadedException extends RuntimeException {
        OverloadedException() {
            super("payment writer queue is full or stopping", null, false, false);
        }
    }

    private static final BatchInsert<Submission> PAYMENTS = BatchInsert.<Submission>into("payments")
            .column("payment_id", Type.UUID, s -> s.payment().paymentId())
            .column("merchant_id", Type.UUID, s -> s.payment().merchantId())
            .column("amount", Type.INT8, s -> s.payment().amount())
            .column("currency", Type.TEXT, s -> s.payment().currency())
            .column("status", Type.TEXT, s -> s.payment().status().wireName())
            .column("order_id", Type.TEXT, s -> s.payment().orderId())
            .column("description", Type.TEXT, s -> s.payment().description())
            .column("idempotency_key", Type.TEXT, s -> s.payment().idempotencyKey())
            .column("customer_email", Type.TEXT, s -> customer(s, PaymentRequest.Customer::email))
            .column("customer_ip", Type.TEXT, s -> customer(s, PaymentRequest.Customer::ip))
            .column("customer_country", Type.TEXT, s -> customer(s, PaymentRequest.Customer::country))
            .column("card_bin", Type.TEXT, s -> card(s, Payment.CardSummary::bin))
            .column("card_last4", Type.TEXT, s -> card(s, Payment.CardSummary::last4))
            .column("card_fingerprint", Type.TEXT, s -> card(s, Payment.CardSummary::fingerprint))
            .column("card_exp_month", Type.INT2, s -> card(s, k -> (short) k.expMonth()))
            .column("card_exp_year", Type.INT2, s -> card(s, k -> (short) k.expYear()))
            .column("card_token", Type.UUID, s -> card(s, Payment.CardSummary::vaultToken))
            .column("created_at", Type.TIMESTAMP, s -> s.payment().createdAt())
            .column("updated_at", Type.TIMESTAMP, s -> s.payment().updatedAt())
            .build();

    /**
     * The whole batch as ONE statement, hence one round trip: key rows first (sorted), then payments whose key
     * row was inserted (or that have no key), then their cards and events. PostgreSQL runs every data-modifying
     * CTE exactly once and lets later ones read earlier ones' RETURNING rows.
     */
    private static final String INSERT_BATCH = "with won_keys as ("
            + IdempotencyKeys.claims().sql("", "on conflict do nothing returning merchant_id, idempotency_key, resource_id")
            + "), new_payments as ("
            + PAYMENTS.sql("r.idempotency_key is null or r.payment_id in (select resource_id from won_keys)",
                    "returning payment_id")
            + "), new_cards as ("
            + CardVault.rows().sql("r.payment_id in (select payment_id from new_payments)", "")
            + "), new_events as ("
            + Outbox.rows().sql("r.aggregate_id in (select payment_id from new_payments)", "")
            + ") select merchant_id, idempotency_key from won_keys";

    private final DataSource dataSource;
    private final DistributionSummary batchSizes;
    private final GroupCommit<Submission> commit;

    public PaymentWriter(DataSource dataSource, PayrailProperties properties, MeterRegistry meters) {
        this.dataSource = dataSource;
        PayrailProperties.Writer settings = properties.writer();
        this.batchSizes = DistributionSummary.builder("payrail.writer.batch.size")
                .description("payments committed per group-commit transaction")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
        this.commit = new GroupCommit<>("writer", settings.threads(), settings.queue(), settings.batch(), meters,
                Submission::result, OverloadedException::new, this::write);
        meters.gauge("payrail.writer.queue.depth", commit, GroupCommit::queued);
    }

    /** The writer threads, started and stopped by Spring after the web server (phase 0). */
    @Bean
    Worker paymentWriterWorker() {
        return commit.worker();
    }

    public CompletableFuture<WriteResult> submit(Submission submission) {
        commit.submit(submission);
        return submission.result();
    }

    void write(List<Submission> batch) {
        Map<IdempotencyKey, Submission> leaders = new TreeMap<>(IdempotencyKey.INSERT_ORDER);
        Map<IdempotencyKey, List<Submission>> followers = new HashMap<>();
        List<Submission> keyless = new ArrayList<>();
        for (Submission s : batch) {
            IdempotencyKey key = s.key();
            if (key == null) {
                keyless.add(s);
            } else if (leaders.putIfAbsent(key, s) != null) {
                followers.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
            }
        }
        Set<IdempotencyKey> won;
        try {
            won = inTransaction(connection -> insertBatch(connection, List.copyOf(leaders.values()), keyless));
        } catch (SQLException e) {
            if (batch.size() > 1 && GroupCommit.belongsToOneRow(e)) {
                // One request broke a constraint (say, its merchant was just deleted) or carried data the
                // database refused: isolate it so its neighbours in the batch still get their payments.
                batch.forEach(s -> write(List.of(s)));
            } else if (isMerchantGone(e)) {
                batch.forEach(s -> s.result().complete(new WriteResult.MerchantGone()));
            } else {
                log.warn("payment batch of {} failed: {}", batch.size(), e.getMessage());
                batch.forEach(s -> s.result().completeExceptionally(e));
            }
            return;
        }
        batchSizes.record(keyless.size() + won.size());
        keyless.forEach(s -> s.result().complete(new WriteResult.Created(s.responseBody())));
        List<IdempotencyKey> lost = new ArrayList<>();
        leaders.forEach((key, leader) -> {
            if (won.contains(key)) {
                leader.result().complete(new WriteResult.Created(leader.responseBody()));
                var stored = new IdempotencyKeys.StoredRecord(OPERATION, Objects.requireNonNull(leader.claim()).requestHash(),
                        leader.claim().answer());
                followers.getOrDefault(key, List.of()).forEach(f -> f.result().complete(answerFor(f, stored)));
            } else {
                lost.add(key);
            }
        });
        if (!lost.isEmpty()) {
            answerFromStoredKeys(lost, leaders, followers);
        }
    }

    private void answerFromStoredKeys(List<IdempotencyKey> lost, Map<IdempotencyKey, Submission> leaders,
                                      Map<IdempotencyKey, List<Submission>> followers) {
        Map<IdempotencyKey, IdempotencyKeys.StoredRecord> stored;
        try {
            stored = inTransaction(connection -> IdempotencyKeys.storedRecords(connection, lost));
        } catch (SQLException e) {
            lost.forEach(key -> {
                leaders.get(key).result().completeExceptionally(e);
                followers.getOrDefault(key, List.of()).forEach(f -> f.result().completeExceptionally(e));
            });
            return;
        }
        for (IdempotencyKey key : lost) {
            List<Submission> waiting = new ArrayList<>();
            waiting.add(leaders.get(key));
            waiting.addAll(followers.getOrDefault(key, List.of()));
            IdempotencyKeys.StoredRecord record = stored.get(key);
            for (Submission s : waiting) {
                if (record == null) {
                    // The other holder of the key rolled back or the key was just purged: try again.
                    submit(s);
                } else {
                    s.result().complete(answerFor(s, record));
                }
            }
        }
    }

    /** The payments' foreign key to merchants refused the row: the merchant no longer exists. */
    private static boolean isMerchantGone(SQLException e) {
        return "23503".equals(e.getSQLState()) && e.getMessage() != null
                && e.getMessage().contains(MERCHANT_FOREIGN_KEY);
    }

    /** PostgreSQL's name for the foreign key {@code payments.merchant_id -> merchants} (V1). */
    private static final String MERCHANT_FOREIGN_KEY = "payments_merchant_id_fkey";

    private static WriteResult answerFor(Submission s, IdempotencyKeys.StoredRecord record) {
        return switch (IdempotencyKeys.verdict(record, OPERATION, Objects.requireNonNull(s.claim()).requestHash())) {
            case Verdict.Replay(StoredAnswer answer) -> new WriteResult.Replayed(answer.status(), answer.body());
            case Verdict.Conflict conflict -> new WriteResult.KeyReused();
        };
    }

    private <T> T inTransaction(GroupCommit.SqlWork<T> work) throws SQLException {
        return GroupCommit.inTransaction(dataSource, work);
    }

    private static Set<IdempotencyKey> insertBatch(Connection c, List<Submission> leaders, List<Submission> keyless)
            throws SQLException {
        List<Submission> rows = new ArrayList<>(keyless);
        rows.addAll(leaders);
        List<Claim> claims = leaders.stream().map(Submission::claim).toList();
        List<SealedCard> cards = rows.stream().map(Submission::card).filter(Objects::nonNull).toList();
        List<OutboxEntry> events = rows.stream().map(Submission::event).toList();
        Set<IdempotencyKey> inserted = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(INSERT_BATCH)) {
            int next = IdempotencyKeys.claims().bind(ps, 1, claims);
            next = PAYMENTS.bind(ps, next, rows);
            next = CardVault.rows().bind(ps, next, cards);
            Outbox.rows().bind(ps, next, events);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.add(new IdempotencyKey(rs.getObject(1, UUID.class), rs.getString(2)));
                }
            }
        }
        return inserted;
    }

    private static <T> @Nullable T customer(Submission s, Function<PaymentRequest.Customer, T> field) {
        return s.payment().customer() == null ? null : field.apply(s.payment().customer());
    }

    private static <T> @Nullable T card(Submission s, Function<Payment.CardSummary, T> field) {
        return s.payment().card() == null ? null : field.apply(s.payment().card());
    }
}
