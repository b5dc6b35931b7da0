package dev.payrail.payment;

import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Group commit for payment intake. Each request hands its fully prepared rows to a queue and waits; a few
 * writer threads each take everything queued (up to {@code payrail.writer.batch}) and write it in ONE
 * transaction — idempotency records, payments and outbox events in a single set-based statement, so one round
 * trip — then answer every request in the batch after the commit is durable. Under load one fsync is shared by many payments;
 * under no load a batch is one request and nothing waits for company.
 *
 * <p>Idempotency is decided by the database, not by a read-then-write race: a key row is inserted with
 * {@code ON CONFLICT DO NOTHING}; only requests whose key row was inserted get a payment. Requests with a key
 * already taken (earlier, in another batch, or on another node) read the stored first answer after commit and
 * get it replayed, or a refusal when their body differs. Keys are inserted in sorted order so two batches can
 * never deadlock on each other's keys.
 */
@Component
@ConditionalOnRole(Role.API)
public class PaymentWriter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PaymentWriter.class);
    private static final int QUEUE_CAPACITY = 20_000;

    /** The answer a waiting request gets. */
    public sealed interface WriteResult {
        record Created(String body) implements WriteResult {}

        record Replayed(int status, String body) implements WriteResult {}

        record KeyReused() implements WriteResult {}
    }

    /** One request's rows, ready to insert, and the future its HTTP thread waits on. */
    public record Submission(Payment payment, String responseBody, UUID eventId, String eventPayload,
                             String requestHash, Instant keyExpiresAt, CompletableFuture<WriteResult> result) {

        KeyRef keyRef() {
            return payment.idempotencyKey() == null ? null : new KeyRef(payment.merchantId(), payment.idempotencyKey());
        }
    }

    record KeyRef(UUID merchantId, String key) {
        static final Comparator<KeyRef> ORDER = Comparator.comparing(KeyRef::merchantId).thenComparing(KeyRef::key);
    }

    /** Too many requests are already waiting; the caller should answer 503 rather than queue without bound. */
    public static final class OverloadedException extends RuntimeException {
        OverloadedException() {
            super("payment writer queue is full", null, false, false);
        }
    }

    private record StoredKey(String requestHash, int status, String body) {}

    private final DataSource dataSource;
    private final PayrailProperties.Writer settings;
    private final String topic;
    private final LinkedBlockingQueue<Submission> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final List<Thread> threads = new ArrayList<>();
    private final DistributionSummary batchSizes;
    private volatile boolean running;

    public PaymentWriter(DataSource dataSource, PayrailProperties properties, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.settings = properties.writer();
        this.topic = properties.topics().payments();
        this.batchSizes = DistributionSummary.builder("payrail.writer.batch.size")
                .description("payments committed per group-commit transaction")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
        meters.gauge("payrail.writer.queue.depth", queue, LinkedBlockingQueue::size);
    }

    public CompletableFuture<WriteResult> submit(Submission submission) {
        if (!running || !queue.offer(submission)) {
            submission.result().completeExceptionally(new OverloadedException());
        }
        return submission.result();
    }

    @Override
    public void start() {
        running = true;
        for (int i = 0; i < Math.max(1, settings.threads()); i++) {
            Thread thread = Thread.ofPlatform().name("payrail-writer-" + i).start(this::loop);
            threads.add(thread);
        }
    }

    @Override
    public void stop() {
        running = false;
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
        Submission left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new OverloadedException());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stop after the web server has stopped taking requests, so accepted ones are still written. */
    @Override
    public int getPhase() {
        return 0;
    }

    private void loop() {
        int batchMax = Math.max(1, settings.batch());
        while (running || !queue.isEmpty()) {
            try {
                Submission first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<Submission> batch = new ArrayList<>(Math.min(batchMax, queue.size() + 1));
                batch.add(first);
                queue.drainTo(batch, batchMax - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("payment writer loop error", e);
            }
        }
    }

    void write(List<Submission> batch) {
        Map<KeyRef, Submission> leaders = new java.util.TreeMap<>(KeyRef.ORDER);
        Map<KeyRef, List<Submission>> followers = new HashMap<>();
        List<Submission> keyless = new ArrayList<>();
        for (Submission s : batch) {
            KeyRef ref = s.keyRef();
            if (ref == null) {
                keyless.add(s);
            } else if (leaders.putIfAbsent(ref, s) != null) {
                followers.computeIfAbsent(ref, r -> new ArrayList<>()).add(s);
            }
        }
        Set<KeyRef> won;
        try {
            won = withConnection(connection -> insertBatch(connection, leaders.values(), keyless));
        } catch (SQLException e) {
            if (batch.size() > 1 && isCausedByOneRow(e)) {
                // One request broke a constraint (say, its merchant was just deleted) or carried data the
                // database refused: isolate it so its neighbours in the batch still get their payments.
                batch.forEach(s -> write(List.of(s)));
            } else {
                log.warn("payment batch of {} failed: {}", batch.size(), e.getMessage());
                batch.forEach(s -> s.result().completeExceptionally(e));
            }
            return;
        }
        batchSizes.record(keyless.size() + won.size());
        keyless.forEach(s -> s.result().complete(new WriteResult.Created(s.responseBody())));
        List<KeyRef> lost = new ArrayList<>();
        leaders.forEach((ref, leader) -> {
            if (won.contains(ref)) {
                leader.result().complete(new WriteResult.Created(leader.responseBody()));
                for (Submission f : followers.getOrDefault(ref, List.of())) {
                    f.result().complete(answerFor(f, new StoredKey(leader.requestHash(), 201, leader.responseBody())));
                }
            } else {
                lost.add(ref);
            }
        });
        if (!lost.isEmpty()) {
            answerFromStoredKeys(lost, leaders, followers);
        }
    }

    private void answerFromStoredKeys(List<KeyRef> lost, Map<KeyRef, Submission> leaders,
                                      Map<KeyRef, List<Submission>> followers) {
        Map<KeyRef, StoredKey> stored;
        try {
            stored = withConnection(connection -> selectKeys(connection, lost));
        } catch (SQLException e) {
            lost.forEach(ref -> {
                leaders.get(ref).result().completeExceptionally(e);
                followers.getOrDefault(ref, List.of()).forEach(f -> f.result().completeExceptionally(e));
            });
            return;
        }
        for (KeyRef ref : lost) {
            List<Submission> waiting = new ArrayList<>();
            waiting.add(leaders.get(ref));
            waiting.addAll(followers.getOrDefault(ref, List.of()));
            StoredKey key = stored.get(ref);
            for (Submission s : waiting) {
                if (key == null) {
                    // The other holder of the key rolled back or the key was just purged: try again.
                    submit(s);
                } else {
                    s.result().complete(answerFor(s, key));
                }
            }
        }
    }

    /** Integrity violations (class 23) and data exceptions (class 22) belong to a row, not to the batch. */
    private static boolean isCausedByOneRow(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("23") || state.startsWith("22"));
    }

    private static WriteResult answerFor(Submission s, StoredKey key) {
        return key.requestHash().equals(s.requestHash())
                ? new WriteResult.Replayed(key.status(), key.body())
                : new WriteResult.KeyReused();
    }

    /** Autocommit: each call here is a single statement, so it is its own transaction, committed durably. */
    private <T> T withConnection(SqlWork<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return work.apply(connection);
        }
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T apply(Connection connection) throws SQLException;
    }

    /**
     * The whole batch as ONE statement, hence one round trip and one implicit transaction: key rows first
     * (sorted), then payments whose key row was inserted (or that have no key), then their events. PostgreSQL
     * runs every data-modifying CTE exactly once and lets later ones read earlier ones' RETURNING rows.
     */
    private static final String INSERT_BATCH = """
            with won_keys as (
                insert into idempotency_keys (merchant_id, idempotency_key, request_hash, payment_id, response_status,
                                              response_body, created_at, expires_at)
                select m, ik, h, pid, 201, b, to_timestamp(cr / 1000.0), to_timestamp(ex / 1000.0)
                from unnest(?::uuid[], ?::text[], ?::text[], ?::uuid[], ?::text[], ?::int8[], ?::int8[])
                     as r(m, ik, h, pid, b, cr, ex)
                on conflict do nothing
                returning merchant_id, idempotency_key, payment_id
            ), new_payments as (
                insert into payments (payment_id, merchant_id, amount, currency, status, order_id, description,
                                      idempotency_key, customer_email, customer_ip, customer_country, card_bin,
                                      card_last4, card_fingerprint, card_exp_month, card_exp_year, created_at,
                                      updated_at)
                select id, m, a, cur, st, o, d, ik, ce, ci, cc, cb, cl, cf, cm, cy,
                       to_timestamp(ts / 1000.0), to_timestamp(ts / 1000.0)
                from unnest(?::uuid[], ?::uuid[], ?::int8[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                            ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int2[], ?::int2[],
                            ?::int8[])
                     as r(id, m, a, cur, st, o, d, ik, ce, ci, cc, cb, cl, cf, cm, cy, ts)
                where r.ik is null or r.id in (select payment_id from won_keys)
                returning payment_id
            ), new_events as (
                insert into outbox (event_id, event_type, aggregate_id, topic, payload, created_at)
                select e, ty, a, tp, pl, to_timestamp(ts / 1000.0)
                from unnest(?::uuid[], ?::text[], ?::uuid[], ?::text[], ?::text[], ?::int8[]) as r(e, ty, a, tp, pl, ts)
                where r.a in (select payment_id from new_payments)
            )
            select merchant_id, idempotency_key from won_keys""";

    private Set<KeyRef> insertBatch(Connection c, java.util.Collection<Submission> leaders, List<Submission> keyless)
            throws SQLException {
        List<Submission> keyed = List.copyOf(leaders);
        List<Submission> rows = new ArrayList<>(keyless);
        rows.addAll(keyed);
        Set<KeyRef> inserted = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(INSERT_BATCH)) {
            int i = 1;
            ps.setArray(i++, array(c, "uuid", keyed, s -> s.payment().merchantId()));
            ps.setArray(i++, array(c, "text", keyed, s -> s.payment().idempotencyKey()));
            ps.setArray(i++, array(c, "text", keyed, Submission::requestHash));
            ps.setArray(i++, array(c, "uuid", keyed, s -> s.payment().paymentId()));
            ps.setArray(i++, array(c, "text", keyed, Submission::responseBody));
            ps.setArray(i++, array(c, "int8", keyed, s -> s.payment().createdAt().toEpochMilli()));
            ps.setArray(i++, array(c, "int8", keyed, s -> s.keyExpiresAt().toEpochMilli()));

            ps.setArray(i++, array(c, "uuid", rows, s -> s.payment().paymentId()));
            ps.setArray(i++, array(c, "uuid", rows, s -> s.payment().merchantId()));
            ps.setArray(i++, array(c, "int8", rows, s -> s.payment().amount()));
            ps.setArray(i++, array(c, "text", rows, s -> s.payment().currency()));
            ps.setArray(i++, array(c, "text", rows, s -> s.payment().status().wireName()));
            ps.setArray(i++, array(c, "text", rows, s -> s.payment().orderId()));
            ps.setArray(i++, array(c, "text", rows, s -> s.payment().description()));
            ps.setArray(i++, array(c, "text", rows, s -> s.payment().idempotencyKey()));
            ps.setArray(i++, array(c, "text", rows, s -> customer(s, PaymentRequest.Customer::email)));
            ps.setArray(i++, array(c, "text", rows, s -> customer(s, PaymentRequest.Customer::ip)));
            ps.setArray(i++, array(c, "text", rows, s -> customer(s, PaymentRequest.Customer::country)));
            ps.setArray(i++, array(c, "text", rows, s -> card(s, Payment.CardSummary::bin)));
            ps.setArray(i++, array(c, "text", rows, s -> card(s, Payment.CardSummary::last4)));
            ps.setArray(i++, array(c, "text", rows, s -> card(s, Payment.CardSummary::fingerprint)));
            ps.setArray(i++, array(c, "int2", rows, s -> card(s, k -> (short) k.expMonth())));
            ps.setArray(i++, array(c, "int2", rows, s -> card(s, k -> (short) k.expYear())));
            ps.setArray(i++, array(c, "int8", rows, s -> s.payment().createdAt().toEpochMilli()));

            ps.setArray(i++, array(c, "uuid", rows, Submission::eventId));
            ps.setArray(i++, array(c, "text", rows, s -> Payment.CREATED_EVENT_TYPE));
            ps.setArray(i++, array(c, "uuid", rows, s -> s.payment().paymentId()));
            ps.setArray(i++, array(c, "text", rows, s -> topic));
            ps.setArray(i++, array(c, "text", rows, Submission::eventPayload));
            ps.setArray(i, array(c, "int8", rows, s -> s.payment().createdAt().toEpochMilli()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.add(new KeyRef(rs.getObject(1, UUID.class), rs.getString(2)));
                }
            }
        }
        return inserted;
    }

    private static Map<KeyRef, StoredKey> selectKeys(Connection c, List<KeyRef> refs) throws SQLException {
        Map<KeyRef, StoredKey> found = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select merchant_id, idempotency_key, request_hash, response_status, response_body
                from idempotency_keys
                where (merchant_id, idempotency_key) in (select * from unnest(?::uuid[], ?::text[]))""")) {
            ps.setArray(1, array(c, "uuid", refs, KeyRef::merchantId));
            ps.setArray(2, array(c, "text", refs, KeyRef::key));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(new KeyRef(rs.getObject(1, UUID.class), rs.getString(2)),
                            new StoredKey(rs.getString(3), rs.getInt(4), rs.getString(5)));
                }
            }
        }
        return found;
    }

    private static <T> T customer(Submission s, Function<PaymentRequest.Customer, T> field) {
        return s.payment().customer() == null ? null : field.apply(s.payment().customer());
    }

    private static <T> T card(Submission s, Function<Payment.CardSummary, T> field) {
        return s.payment().card() == null ? null : field.apply(s.payment().card());
    }

    private static <R> Array array(Connection c, String type, List<R> rows, Function<R, ?> column) throws SQLException {
        Class<?> elementType = switch (type) {
            case "uuid" -> UUID.class;
            case "text" -> String.class;
            case "int8" -> Long.class;
            case "int2" -> Short.class;
            default -> throw new IllegalArgumentException(type);
        };
        // Typed arrays, so the driver encodes each element by its Java type rather than by toString().
        Object[] values = (Object[]) java.lang.reflect.Array.newInstance(elementType, rows.size());
        for (int i = 0; i < values.length; i++) {
            values[i] = column.apply(rows.get(i));
        }
        return c.createArrayOf(type, values);
    }
}
