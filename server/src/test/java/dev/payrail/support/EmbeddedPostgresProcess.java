package dev.payrail.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The embedded PostgreSQL of a server started by {@link ServerProcesses}, found through
 * {@code <data dir>/postgres/postmaster.pid}: a fault switch that freezes it, and the clean-up after a test
 * that killed its server with SIGKILL and did not restart it.
 */
public final class EmbeddedPostgresProcess {

    private EmbeddedPostgresProcess() {}

    /**
     * Freezes the database with SIGSTOP, so it still holds its connections but answers nothing — a hung
     * database, not a refused one. The postmaster is stopped first (it can then fork no new backend), then
     * every process under it.
     */
    public static Frozen freeze(Path dataDir) {
        ProcessHandle postmaster = postmaster(dataDir)
                .orElseThrow(() -> new IllegalStateException("no PostgreSQL running for " + dataDir));
        List<ProcessHandle> frozen = new ArrayList<>();
        signal("STOP", postmaster);
        frozen.add(postmaster);
        for (ProcessHandle backend : postmaster.descendants().toList()) {
            signal("STOP", backend);
            frozen.add(backend);
        }
        return new Frozen(frozen);
    }

    /** A frozen PostgreSQL; {@link #close()} sends SIGCONT to every process that was stopped. */
    public static final class Frozen implements AutoCloseable {

        private final List<ProcessHandle> processes;

        private Frozen(List<ProcessHandle> processes) {
            this.processes = processes;
        }

        @Override
        public void close() {
            for (ProcessHandle process : processes.reversed()) {
                signal("CONT", process);
            }
        }
    }

    /**
     * Stops (SIGTERM, as the server itself would) a PostgreSQL that outlived its server, which happens when
     * a test kills the server with SIGKILL and fails before it restarts it.
     */
    public static void stopIfLeftRunning(Path dataDir) {
        postmaster(dataDir).ifPresent(postmaster -> {
            signal("CONT", postmaster); // in case a test left it frozen
            postmaster.destroy();
            await("PostgreSQL of " + dataDir + " stopped").atMost(Duration.ofSeconds(60))
                    .until(() -> !postmaster.isAlive());
        });
    }

    /** The live postmaster named in the pid file, if it really serves this data dir (pids are reused). */
    private static Optional<ProcessHandle> postmaster(Path dataDir) {
        Path pgData = dataDir.resolve("postgres");
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().map(c -> c.contains("-D " + pgData)).orElse(false));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code kill -<signal> <pid>}; a process that has exited meanwhile is left alone. */
    private static void signal(String signal, ProcessHandle process) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            int exit = kill.waitFor();
            if (exit != 0 && process.isAlive()) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " exited with " + exit
                        + ": " + new String(kill.getInputStream().readAllBytes()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
