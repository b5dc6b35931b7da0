package dev.payrail.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.payrail.support.OtherLocalUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets and the directories holding them are private to the user running Payrail from the moment they exist. */
class SecretFilesTest {

    @TempDir
    Path temp;

    @Test
    void aSecretIsCreatedOwnerOnlyAndReadBackUnchanged() throws IOException {
        Path dir = SecretFiles.privateDirectory(temp.resolve("data/secrets"));
        String secret = SecretFiles.readOrCreate(dir.resolve("db.password"), SecretFiles::newPassword);

        assertThat(OtherLocalUser.mode(dir)).isEqualTo("rwx------");
        assertThat(OtherLocalUser.mode(dir.resolve("db.password"))).isEqualTo("rw-------");
        assertThat(secret).matches("[A-Za-z0-9_-]{43}");
        assertThat(SecretFiles.readOrCreate(dir.resolve("db.password"), () -> "another")).isEqualTo(secret);
        assertThat(Files.list(dir)).as("no temporary file left behind").containsExactly(dir.resolve("db.password"));
    }

    @Test
    void aSecretOrDirectoryOpenedUpByHandIsClosedAgain() throws IOException {
        Path dir = Files.createDirectory(temp.resolve("open"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Path file = Files.writeString(dir.resolve("master.key"), "key");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        SecretFiles.privateDirectory(dir);
        assertThat(SecretFiles.readOrCreate(file, () -> "unused")).isEqualTo("key");

        assertThat(OtherLocalUser.mode(dir)).isEqualTo("rwx------");
        assertThat(OtherLocalUser.mode(file)).isEqualTo("rw-------");
    }

    @Test
    void rewritingAConnectionFileKeepsItOwnerOnly() {
        Path file = SecretFiles.privateDirectory(temp.resolve("data")).resolve("embedded.env");
        SecretFiles.writePrivate(file, "PGPASSWORD=one\n");
        SecretFiles.writePrivate(file, "PGPASSWORD=two\n");
        assertThat(file).hasContent("PGPASSWORD=two");
        assertThat(OtherLocalUser.mode(file)).isEqualTo("rw-------");
    }

    @Test
    void aDirectoryBelongingToAnotherUserIsRefused() throws IOException {
        Path foreign;
        if (OtherLocalUser.canBecomeAnotherUser()) {
            foreign = Files.createDirectory(temp.resolve("foreign"));
            UserPrincipal nobody = temp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(foreign, nobody);
        } else {
            foreign = Path.of("/usr/bin"); // root's; as another user we can neither own nor change it
        }
        Path refused = foreign;
        assertThatThrownBy(() -> SecretFiles.privateDirectory(refused))
                .isInstanceOf(StartupRefusedException.class)
                .hasMessageContaining(refused + " belongs to user id");
    }
}
