package dev.payrail.platform;

import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: callers hand in fully prepared work items and wait on each item's future; a few writer threads
 * each take everything queued (up to {@code batchMax}) and write it in ONE transaction, then complete every
 * item's future after the commit is durable. Under load one fsync (and one round trip, when the writer composes
 * a single statement) is shared by many items; under no load a batch is one item and nothing waits for company.
 * The intake's {@code PaymentWriter}, processing's {@code PaymentSettlements}, the webhook sender's record of
 * 2xx answers and the simulators' bookings ({@code SimulatorLedger}) take this shape; the latter three answer each
 * item with whether the write took effect for it ({@link #writeEach}) and wait with {@link #await}.
 *
 * <p>A batch that throws has every one of its items completed exceptionally at once (nobody is left waiting for a
 * time-out); a full queue, or a writer that is stopping, refuses an item at once with {@code overloaded}. Items
 * already queued when the node stops are still written ({@code drainWhile}); any left after that are refused.
 *
 * @param <T> a work item, carrying the future its caller waits on
 */
public final class GroupCommit<T> {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
    private static final Duration POLL_WAIT = Duration.ofMillis(100);

    /** Writes one batch; completes the items' futures itself when it succeeds. */
    @FunctionalInterface
    public interface BatchWriter<T> {
        void write(List<T> batch);
    }

    private final LinkedBlockingQueue<T> queue;
    private final int batchMax;
    private final Function<T, CompletableFuture<?>> future;
    private final Supplier<RuntimeException> overloaded;
    private final BatchWriter<T> writer;
    private final Worker worker;

    /**
     * @param name       the worker's name (threads {@code payrail-<name>}, metrics tag)
     * @param future     the future of an item, completed exceptionally when its batch fails or it is refused
     * @param overloaded the exception a refused item's future gets
     */
    public GroupCommit(String name, int threads, int queueMax, int batchMax, MeterRegistry meters,
                       Function<T, CompletableFuture<?>> future, Supplier<RuntimeException> overloaded,
                       BatchWriter<T> writer) {
        this.queue = new LinkedBlockingQueue<>(queueMax);
        this.batchMax = batchMax;
        this.future = future;
        this.overloaded = overloaded;
        this.writer = writer;
        this.worker = Worker.named(name, meters)
                .threads(threads)
                .idle(Duration.ZERO) // the step itself waits on the queue
                .drainWhile(() -> !queue.isEmpty())
                .afterStop(this::refuseLeftovers)
                .step(this::writeNextBatch);
    }

    /** The writer threads; register as a bean so Spring starts and stops them. */
    public Worker worker() {
        return worker;
    }

    /** Queues the item, or completes its future exceptionally at once when the queue is full or the writer stops. */
    public void submit(T item) {
        if (!worker.isRunning() || !queue.offer(item)) {
            future.apply(item).completeExceptionally(overloaded.get());
        }
    }

    /** Items waiting for a writer thread. */
    public int queued() {
        return queue.size();
    }

    private Worker.Outcome writeNextBatch() throws InterruptedException {
        T first = queue.poll(POLL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (first == null) {
            return Worker.Outcome.IDLE;
        }
        List<T> batch = new ArrayList<>(Math.min(batchMax, queue.size() + 1));
        batch.add(first);
        queue.drainTo(batch, batchMax - 1);
        try {
            writer.write(batch);
        } catch (RuntimeException e) {
            batch.forEach(item -> future.apply(item).completeExceptionally(e));
            throw e;
        }
        return Worker.Outcome.WORKED;
    }

    private void refuseLeftovers() {
        T left;
        while ((left = queue.poll()) != null) {
            future.apply(left).completeExceptionally(overloaded.get());
        }
    }

    /** A data exception or an integrity violation (classes 22, 23): the fault of one row, not of the batch. */
    public static boolean belongsToOneRow(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /**
     * Whether a failed batch is worth writing again item by item: a fault of one row ({@link #belongsToOneRow}),
     * or a deadlock or serialization failure (40P01, 40001) with another transaction, which may not recur for a
     * single item. Anything else (the database away, a pool time-out) would only fail again for every item, one
     * time-out after another, so it fails the batch at once.
     */
    public static boolean worthSplitting(SQLException e) {
        return belongsToOneRow(e) || "40P01".equals(e.getSQLState()) || "40001".equals(e.getSQLState());
    }

    /** A batch statement that says for which items it took effect, by their keys. */
    @FunctionalInterface
    public interface KeyedStatement<T, K> {
        Set<K> run(Connection connection, List<T> batch) throws SQLException;
    }

    /**
     * Writes {@code batch} with {@code statement} in one transaction and completes each item's future with whether
     * the statement took effect for it (its key among those returned). A key goes into a statement at most once:
     * the answer is by key (and an {@code UPDATE … FROM} changes a row once, however many rows join it), so a
     * second item with a key already in the statement goes in a transaction after it. A failure that one item or a
     * race can have caused ({@link #worthSplitting}) is written again item by item, so the others still go through;
     * any other completes every item with {@code failure}. {@code committed} hears the size of each committed
     * transaction.
     */
    public static <T, K> void writeEach(DataSource dataSource, List<T> batch, Function<T, K> keyOf,
                                        Function<T, CompletableFuture<Boolean>> futureOf,
                                        KeyedStatement<T, K> statement, BiFunction<T, SQLException, RuntimeException> failure,
                                        IntConsumer committed) {
        List<T> first = new ArrayList<>(batch.size());
        List<T> again = new ArrayList<>();
        Set<K> seen = new HashSet<>();
        for (T item : batch) {
            (seen.add(keyOf.apply(item)) ? first : again).add(item);
        }
        writeDistinct(dataSource, first, keyOf, futureOf, statement, failure, committed);
        if (!again.isEmpty()) {
            writeEach(dataSource, again, keyOf, futureOf, statement, failure, committed);
        }
    }

    /** {@link #writeEach} for a batch whose keys are all different. */
    private static <T, K> void writeDistinct(DataSource dataSource, List<T> batch, Function<T, K> keyOf,
                                             Function<T, CompletableFuture<Boolean>> futureOf,
                                             KeyedStatement<T, K> statement,
                                             BiFunction<T, SQLException, RuntimeException> failure,
                                             IntConsumer committed) {
        Set<K> done;
        try {
            done = inTransaction(dataSource, connection -> statement.run(connection, batch));
        } catch (SQLException e) {
            if (batch.size() > 1 && worthSplitting(e)) {
                log.debug("batch of {} failed ({}); writing each on its own", batch.size(), e.getMessage());
                batch.forEach(item -> writeDistinct(dataSource, List.of(item), keyOf, futureOf, statement, failure,
                        committed));
            } else {
                batch.forEach(item -> futureOf.apply(item).completeExceptionally(failure.apply(item, e)));
            }
            return;
        }
        committed.accept(batch.size());
        batch.forEach(item -> futureOf.apply(item).complete(done.contains(keyOf.apply(item))));
    }

    /**
     * Waits for an item's future: its value, or the unchecked exception it was completed with, as it is; an
     * interrupt or a checked cause becomes {@code failure}'s exception.
     */
    public static <R> R await(CompletableFuture<R> future, Function<Throwable, RuntimeException> failure) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure.apply(e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw cause instanceof RuntimeException runtime ? runtime : failure.apply(cause);
        }
    }

    /**
     * Makes the rest of the caller's transaction run prepared statements on their cached generic plan instead of
     * planning them again for every call. Meant for a batch statement over {@code unnest} of bound arrays whose
     * rows are each reached by primary key: PostgreSQL cannot see an array's length in a generic plan and takes
     * {@code unnest}'s default of 100 rows, so the generic plan always looks dearer than a custom plan for the
     * actual few rows, and with the default {@code plan_cache_mode} the statement is planned afresh on every call
     * ({@code bench/statements.sh}'s "plans / call" column showed 1.00 for processing's settlement, a statement of
     * three CTEs whose planning then cost more than its execution). The generic plan is the same index probe per
     * row whatever the batch's size. Costs one short statement in the same transaction.
     */
    public static void onGenericPlans(Connection connection) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute("set local plan_cache_mode = force_generic_plan");
        }
    }

    /** Work on one connection inside a transaction. */
    @FunctionalInterface
    public interface SqlWork<R> {
        R apply(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in a transaction whose boundaries are set here rather than trusted to the pool's
     * auto-commit default: the work is durable when this returns (the server runs {@code synchronous_commit=on}),
     * and only then may anyone be answered.
     */
    public static <R> R inTransaction(DataSource dataSource, SqlWork<R> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                R result = work.apply(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }
}
