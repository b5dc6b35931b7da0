package dev.payrail.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
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
