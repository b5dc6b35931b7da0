package dev.payrail.platform;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import lombok.Setter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A named background loop, the one shape every background job in Payrail takes: the outbox relay, the
 * group-commit writer, the purges and sweeps, and later processing, webhook sending and the janitor. It runs a
 * {@link Step} again and again on its own platform thread(s); when the step found nothing to do it pauses for
 * {@code idle}; when the step fails it backs off exponentially with jitter (so a fleet of nodes does not retry a
 * sick database in lockstep) and says so in the log once, then at most every 30 seconds while it lasts.
 *
 * <p>Registered as a bean it is started and stopped by Spring ({@link SmartLifecycle}, by default phase 0: started
 * before the web server, stopped after it has stopped taking requests). {@code drainWhile} keeps it running after stop while work is still queued.
 *
 * <p>Metrics: {@code payrail_worker_runs_total{worker, outcome=worked|idle|failed}}.
 */
public final class Worker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Worker.class);
    private static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(30);
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    /** What one run of the step did. */
    public enum Outcome {
        /** Did work; run again at once, there may be more. */
        WORKED,
        /** Found nothing to do; pause for the idle interval. */
        IDLE
    }

    /** One unit of a worker's job. */
    @FunctionalInterface
    public interface Step {
        Outcome run() throws Exception;
    }

    private final String name;
    private final int threadCount;
    private final Duration idle;
    private final Duration backoffMin;
    private final Duration backoffMax;
    private final BooleanSupplier drainWhile;
    private final Runnable afterStop;
    private final int phase;
    private final Step step;
    private final Counter worked;
    private final Counter idled;
    private final Counter failed;
    private final Object pause = new Object();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    /** Set by {@link #wake()}; guarded by {@code pause}, so a wake between two runs is not lost. */
    private boolean woken;

    private Worker(Builder builder, Step step) {
        this.name = builder.name;
        this.threadCount = builder.threads;
        this.idle = builder.idle;
        this.backoffMin = builder.backoffMin;
        this.backoffMax = builder.backoffMax;
        this.drainWhile = builder.drainWhile;
        this.afterStop = builder.afterStop;
        this.phase = builder.phase;
        this.step = step;
        MeterRegistry meters = builder.meters;
        this.worked = runs(meters, "worked");
        this.idled = runs(meters, "idle");
        this.failed = runs(meters, "failed");
    }

    private Counter runs(MeterRegistry meters, String outcome) {
        return Counter.builder("payrail.worker.runs").description("runs of a background worker's step")
                .tag("worker", name).tag("outcome", outcome).register(meters);
    }

    public static Builder named(String name, MeterRegistry meters) {
        return new Builder(name, meters);
    }

    /** A periodic job: runs {@code job} at start and then every {@code interval}, backing off after failures. */
    public static Worker every(Duration interval, String name, MeterRegistry meters, Job job) {
        return named(name, meters).idle(interval).step(() -> {
            job.run();
            return Outcome.IDLE;
        });
    }

    /** The body of a periodic job. */
    @FunctionalInterface
    public interface Job {
        void run() throws Exception;
    }

    /** Settings of a {@link Worker}; defaults: one thread, 1 s idle pause, back-off from 100 ms up to 30 s. */
    public static final class Builder {
        private final String name;
        private final MeterRegistry meters;
        private int threads = 1;
        /** The pause after a run that found nothing to do (for a periodic job: its interval). */
        @Setter
        private Duration idle = Duration.ofSeconds(1);
        private Duration backoffMin = Duration.ofMillis(100);
        private Duration backoffMax = Duration.ofSeconds(30);
        /** After stop is asked, keep running while this says there is queued work (e.g. accepted requests). */
        @Setter
        private BooleanSupplier drainWhile = () -> false;
        /** Runs once every thread has ended, e.g. to fail what is still queued. */
        @Setter
        private Runnable afterStop = () -> {};
        /**
         * When Spring starts it relative to other lifecycles (lower first; stopped in reverse). Default 0: before
         * the web server, stopped after it. {@link #AFTER_WEB_SERVER} for a worker that calls this node's own
         * HTTP endpoints and must not run while they are not served.
         */
        @Setter
        private int phase = 0;

        private Builder(String name, MeterRegistry meters) {
            this.name = name;
            this.meters = meters;
        }

        public Builder threads(int count) {
            this.threads = Math.max(1, count);
            return this;
        }

        public Builder backoff(Duration min, Duration max) {
            this.backoffMin = min;
            this.backoffMax = max;
            return this;
        }

        public Worker step(Step step) {
            return new Worker(this, step);
        }
    }

    public String name() {
        return name;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        for (int i = 0; i < threadCount; i++) {
            String threadName = "payrail-" + name + (threadCount > 1 ? "-" + i : "");
            threads.add(Thread.ofPlatform().name(threadName).start(this::loop));
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        synchronized (pause) {
            pause.notifyAll();
        }
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        for (Thread thread : threads) {
            try {
                thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                log.warn("worker {} did not stop within {} s; interrupting it", name, STOP_WAIT.toSeconds());
                thread.interrupt();
            }
        }
        threads.clear();
        afterStop.run();
    }

    /**
     * Ends the current idle pause at once (or skips the next one): for a worker told by someone else that there
     * is work again, sooner than its idle interval would find out.
     */
    public void wake() {
        synchronized (pause) {
            woken = true;
            pause.notifyAll();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts after the web server (whose lifecycle phases are just below this) and stops before it. */
    public static final int AFTER_WEB_SERVER = SmartLifecycle.DEFAULT_PHASE;

    @Override
    public int getPhase() {
        return phase;
    }

    private void loop() {
        int failures = 0;
        long lastFailureLogNanos = 0;
        while (running || drainWhile.getAsBoolean()) {
            try {
                Outcome outcome = step.run();
                failures = 0;
                if (outcome == Outcome.WORKED) {
                    worked.increment();
                } else {
                    idled.increment();
                    pause(idle, true);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                failed.increment();
                failures++;
                long now = System.nanoTime();
                if (failures == 1 || now - lastFailureLogNanos > FAILURE_LOG_INTERVAL.toNanos()) {
                    lastFailureLogNanos = now;
                    log.warn("worker {} failed ({} in a row): {}", name, failures, rootMessage(e),
                            failures == 1 && !(e instanceof java.sql.SQLException) ? e : null);
                }
                pause(backoff(failures), false); // a back-off is not cut short: a sick database gets its rest
            }
        }
    }

    /** Exponential back-off with "equal jitter": half the delay fixed, half random. */
    Duration backoff(int failures) {
        long min = backoffMin.toMillis();
        long max = Math.max(min, backoffMax.toMillis());
        long delay = Math.min(max, min << Math.min(failures - 1, 20));
        long half = Math.max(1, delay / 2);
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    private void pause(Duration duration, boolean wakeable) {
        if (!running || duration.isZero()) {
            return;
        }
        synchronized (pause) {
            try {
                if (!(wakeable && woken)) {
                    long until = System.nanoTime() + Math.max(1, duration.toMillis()) * 1_000_000;
                    do {
                        pause.wait(Math.max(1, (until - System.nanoTime()) / 1_000_000));
                    } while (running && !(wakeable && woken) && System.nanoTime() < until);
                }
                if (wakeable) {
                    woken = false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    @Override
    public String toString() {
        return "Worker[" + name + "]";
    }
}
