package dev.payrail.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Another account on the same machine, the one the embedded servers must keep out. When the tests run as root
 * (CI), commands really run as user {@code nobody} through util-linux's {@code setpriv}; otherwise there is no
 * other user to become, and the checks fall back to the POSIX modes that would stop one, saying so in the
 * assertion message.
 */
public final class OtherLocalUser {

    private static final String USER = "nobody";
    private static final String GROUP = "nogroup";

    private OtherLocalUser() {}

    public static boolean canBecomeAnotherUser() {
        return new UnixSystem().getUid() == 0 && Files.isExecutable(Path.of("/usr/bin/setpriv"));
    }

    /** Runs {@code command} as {@code nobody}; the exit code and what it printed. */
    public static Result run(String... command) {
        List<String> full = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=" + USER, "--regid=" + GROUP,
                "--clear-groups", "--"));
        full.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("as " + USER + ", " + command[0] + " did not finish in 30 s");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record Result(int exitCode, String output) {}

    /**
     * The test only proves something if the other user is stopped by the directory under test and not by one
     * above it: {@code nobody} must be able to pass through every ancestor of {@code dir}.
     */
    public static void assertCanTraverseTo(Path dir) {
        Path parent = dir.toAbsolutePath().getParent();
        if (canBecomeAnotherUser()) {
            assertThat(run("/usr/bin/test", "-x", parent.toString()).exitCode())
                    .as("precondition: %s can pass through %s, so only %s's own permissions can stop it", USER,
                            parent, dir)
                    .isZero();
        }
    }

    /** Neither reading {@code file} nor listing it (if a directory) works for another local user. */
    public static void assertCannotRead(Path path) {
        if (canBecomeAnotherUser()) {
            Result read = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
                    ? run("/bin/ls", "-a", path.toString())
                    : run("/bin/cat", path.toString());
            assertThat(read.exitCode()).as("%s reading %s: %s", USER, path, read.output()).isNotZero();
            assertThat(read.output()).as("%s reading %s", USER, path).contains("Permission denied");
        } else {
            assertThat(othersPermissions(path))
                    .as("not root, so there is no other user to try as: checked instead that the mode of %s (%s) "
                            + "gives group and others nothing", path, mode(path))
                    .isEmpty();
        }
    }

    public static String mode(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<PosixFilePermission> othersPermissions(Path path) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            permissions.removeAll(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.OWNER_EXECUTE));
            return permissions;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
