package dev.payrail.platform;

import java.util.Collection;
import java.util.function.BiConsumer;

/**
 * One task per item, all at once on virtual threads, for the background jobs that hand a claimed batch to code that
 * calls out (an acquirer, mostly): one slow call does not hold up the others, and the job's round ends when every
 * task has.
 */
public final class Concurrently {

    /** What is done for one item; may wait (and be interrupted). */
    @FunctionalInterface
    public interface Task<T> {
        void run(T item) throws InterruptedException;
    }

    private Concurrently() {}

    /**
     * Runs {@code task} for every item and returns when all have ended. A task that fails is handed to
     * {@code failed} (typically a log line: the item stays as it was, to be taken up again) and stops no other.
     */
    public static <T> void forEach(Collection<T> items, Task<T> task, BiConsumer<T, RuntimeException> failed) {
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (T item : items) {
                threads.submit(() -> {
                    try {
                        task.run(item);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        failed.accept(item, e);
                    }
                });
            }
        }
    }
}
