package dev.payrail.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkerTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private double runs(String worker, String outcome) {
        return meters.get("payrail.worker.runs").tag("worker", worker).tag("outcome", outcome).counter().count();
    }

    @Test
    void aFailingStepIsRetriedAfterABackOffAndTheWorkerCarriesOn() {
        AtomicInteger calls = new AtomicInteger();
        Worker worker = Worker.named("flaky", meters).idle(Duration.ofMillis(5))
                .backoff(Duration.ofMillis(1), Duration.ofMillis(10))
                .step(() -> {
                    if (calls.incrementAndGet() <= 3) {
                        throw new IllegalStateException("database down");
                    }
                    return Worker.Outcome.IDLE;
                });
        worker.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> runs("flaky", "idle") >= 2);
        } finally {
            worker.stop();
        }
        assertThat(runs("flaky", "failed")).isEqualTo(3);
        assertThat(worker.isRunning()).isFalse();
    }

    @Test
    void aWakeEndsTheIdlePauseButNotABackOff() {
        AtomicInteger calls = new AtomicInteger();
        Worker worker = Worker.named("sleepy", meters).idle(Duration.ofHours(1))
                .backoff(Duration.ofHours(1), Duration.ofHours(1))
                .step(() -> {
                    if (calls.incrementAndGet() == 3) {
                        throw new IllegalStateException("database down");
                    }
                    return Worker.Outcome.IDLE;
                });
        worker.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 1);
            worker.wake(); // idle for an hour: only the wake runs it again
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 2);
            worker.wake(); // the third run fails and backs off for an hour, wakes or not
            await().atMost(Duration.ofSeconds(10)).until(() -> runs("sleepy", "failed") == 1);
            worker.wake();
            worker.wake();
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> calls.get() == 3);
        } finally {
            worker.stop();
        }
    }

    @Test
    void backOffGrowsExponentiallyWithJitterUpToTheMaximum() {
        Worker worker = Worker.named("backoff", meters).backoff(Duration.ofMillis(100), Duration.ofSeconds(2))
                .step(() -> Worker.Outcome.IDLE);
        for (int i = 0; i < 50; i++) {
            assertThat(worker.backoff(1)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
            assertThat(worker.backoff(3)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
            assertThat(worker.backoff(30)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
        }
    }

    @Test
    void stopDrainsQueuedWorkThenRunsTheAfterStopAction() {
        var queue = new ConcurrentLinkedQueue<Integer>();
        for (int i = 0; i < 100; i++) {
            queue.add(i);
        }
        AtomicInteger done = new AtomicInteger();
        AtomicInteger afterStopSawLeft = new AtomicInteger(-1);
        Worker worker = Worker.named("drain", meters).idle(Duration.ofMillis(1))
                .drainWhile(() -> !queue.isEmpty())
                .afterStop(() -> afterStopSawLeft.set(queue.size()))
                .step(() -> {
                    Integer item = queue.poll();
                    if (item == null) {
                        return Worker.Outcome.IDLE;
                    }
                    Thread.sleep(1);
                    done.incrementAndGet();
                    return Worker.Outcome.WORKED;
                });
        worker.start();
        worker.stop();

        assertThat(done).hasValue(100);
        assertThat(afterStopSawLeft).hasValue(0);
    }
}
