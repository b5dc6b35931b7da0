package dev.payrail.account;

import static dev.payrail.support.ServerProcesses.awaitHealthy;
import static dev.payrail.support.ServerProcesses.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.payrail.support.Http;
import dev.payrail.support.Json;
import dev.payrail.support.OperatorSession;
import dev.payrail.support.ServerProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

/**
 * The console's first step as a new user takes it (README: "./payrail, then log in with the first-start
 * credentials"): a packaged server started in embedded mode with no admin settings at all creates the first admin
 * account, prints its password once and keeps it in the data directory; that password logs in as admin; the next
 * start on the same data directory creates nothing and prints no password, and the same password still works.
 */
class FirstStartAdminIT {

    private static final Pattern CREATED = Pattern.compile(
            "first admin account created: log in at /console as (\\S+) with password (\\S+) \\(kept in (\\S+);");

    private final ServerProcesses servers = new ServerProcesses();
    private final Path dataDir = ServerProcesses.freshDataDir("first-admin");

    @AfterEach
    void stopAndRemove() throws Exception {
        servers.close();
        FileSystemUtils.deleteRecursively(dataDir);
    }

    @Test
    void theFirstStartPrintsAPasswordOnceThatLogsInAsAdminAndKeepsWorking() throws Exception {
        int port = freePort();
        Process first = servers.start("first-admin-1", Map.of(),
                "--payrail.data.dir=" + dataDir, "--payrail.http.port=" + port);
        awaitHealthy(new Http(port), first);

        // The account is made by an ApplicationRunner, just after the server starts answering /health.
        await().atMost(Duration.ofSeconds(30)).until(() -> servers.output("first-admin-1").stream()
                .anyMatch(l -> CREATED.matcher(l).find()));
        List<String> printed = servers.output("first-admin-1").stream().filter(l -> CREATED.matcher(l).find()).toList();
        assertThat(printed).as("the line that gives the first admin's password").hasSize(1);
        Matcher created = CREATED.matcher(printed.getFirst());
        assertThat(created.find()).isTrue();
        String email = created.group(1);
        String password = created.group(2);
        assertThat(email).isEqualTo("admin@payrail.local");
        assertThat(password).hasSizeGreaterThanOrEqualTo(24);
        assertThat(Path.of(created.group(3))).isEqualTo(dataDir.resolve("secrets").resolve("first-admin-password"));
        assertThat(Files.readString(dataDir.resolve("secrets/first-admin-password")).strip()).isEqualTo(password);

        assertLogsInAsAdmin(port, email, password);
        assertThat(new OperatorSession(port).login(email, password + "x").statusCode()).isEqualTo(401);

        first.destroy();
        first.waitFor();
        Process second = servers.start("first-admin-2", Map.of(),
                "--payrail.data.dir=" + dataDir, "--payrail.http.port=" + port);
        awaitHealthy(new Http(port), second);
        // every start-up task has run (where the first start printed the password) once the node says it is ready
        await().atMost(Duration.ofSeconds(30)).until(() -> servers.output("first-admin-2").stream()
                .anyMatch(l -> l.contains("Payrail ready on port " + port)));
        assertThat(servers.output("first-admin-2")).as("a second start prints no password")
                .noneMatch(line -> line.contains(password))
                .noneMatch(line -> CREATED.matcher(line).find());
        assertLogsInAsAdmin(port, email, password);
    }

    private static void assertLogsInAsAdmin(int port, String email, String password) {
        OperatorSession session = new OperatorSession(port);
        var login = session.login(email, password);
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        var me = Json.parse(session.get("/admin-api/session").body());
        assertThat(me.get("email").asString()).isEqualTo(email);
        assertThat(me.get("role").asString()).isEqualTo("admin");
        // an admin's power, not only a session: it may list the operator accounts
        assertThat(session.get("/admin-api/accounts").statusCode()).isEqualTo(200);
    }
}
