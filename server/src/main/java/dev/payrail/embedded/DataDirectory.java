package dev.payrail.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The embedded-mode data directory ({@code PAYRAIL_DATA_DIR}, default {@code ./data}) and the exclusive lock
 * that keeps two Payrail processes from running one PostgreSQL and Kafka data set. The operating system drops
 * the lock when the process dies, even by {@code kill -9}, so a crash never leaves the directory unusable.
 *
 * <p>The directory is private to the user running Payrail (0700): it holds the master key, the servers'
 * passwords, the database files and the Kafka log, none of which another local account may read.
 */
public final class DataDirectory {

    private static final ConcurrentMap<Path, FileLock> LOCKS = new ConcurrentHashMap<>();

    private DataDirectory() {}

    public static Path resolve(String configured) {
        return Path.of(configured == null || configured.isBlank() ? "./data" : configured).toAbsolutePath().normalize();
    }

    /** Takes the lock for this process (again a no-op when this JVM already holds it). */
    public static void lock(Path dir) {
        LOCKS.computeIfAbsent(dir, DataDirectory::acquire);
    }

    private static FileLock acquire(Path dir) {
        try {
            SecretFiles.privateDirectory(dir);
            FileChannel channel = FileChannel.open(dir.resolve("payrail.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new StartupRefusedException("data directory " + dir
                        + " is in use by another Payrail process; stop it or set PAYRAIL_DATA_DIR to another directory");
            }
            return lock;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use data directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The directory for secrets inside {@code dir}, created 0700. */
    static Path secrets(Path dir) {
        return SecretFiles.privateDirectory(dir.resolve("secrets"));
    }

    /**
     * Refuses a data directory an older Payrail made with a server that let anyone in: {@code server} (a path inside
     * {@code dir}) exists but its secret {@code secretFile} (in {@code secrets/}) does not. Such a server cannot be
     * closed in place, so the operator is told to move the directory away; its data stays readable with the
     * version that made it. {@code opening}: what that server let in, for the message.
     */
    static void refuseIfMadeOpen(Path dir, Path server, String secretFile, String opening) {
        if (Files.exists(dir.resolve(server)) && !Files.exists(dir.resolve("secrets").resolve(secretFile))) {
            throw new StartupRefusedException("data directory " + dir + " was made by an older Payrail whose "
                    + opening + ", and cannot be closed in place; move it away (or delete it) and start again, or "
                    + "set PAYRAIL_DATA_DIR to a new directory");
        }
    }

    static void release(Path dir) {
        FileLock lock = LOCKS.remove(dir);
        if (lock != null) {
            try {
                lock.channel().close();
            } catch (IOException ignored) {
                // closing the channel releases the lock; nothing else to do
            }
        }
    }
}
