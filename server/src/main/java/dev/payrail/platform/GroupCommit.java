package dev.payrail.platform;

import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Group commit: callers hand in fully prepared work items and wait on each item's future; a few writer threads
 * each take everything queued (up to {@code batchMax}) and write it in ONE transaction, then complete every
 * item's future after the commit is durable. Under load one fsync (and one round trip, when the writer composes
 * a single statement) is shared by many items; under no load a batch is one item and nothing waits for company.
 * The intake's {@code PaymentWriter} and processing's settlements both take this shape.
 *
 * <p>A batch that throws has every one of its items completed exceptionally at once (nobody is left waiting for a
 * time-out); a full queue, or a writer that is stopping, refuses an item at once with {@code overloaded}. Items
 * already queued when the node stops are still written ({@code drainWhile}); any left after that are refused.
 *
 * @param <T> a work item, carrying the future its caller waits on
 */
public final class GroupCommit<T> {

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

    /**
     * Whether a failed batch is worth writing again item by item: a data exception or an integrity violation
     * (classes 22, 23) belongs to one item, and a deadlock or serialization failure (40P01, 40001) with another
     * transaction may not recur for a single item. Anything else (the database away, a pool time-out) would only
     * fail again for every item, one time-out after another, so it fails the batch at once.
     */
    public static boolean worthSplitting(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23") || state.equals("40P01")
                || state.equals("40001"));
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
