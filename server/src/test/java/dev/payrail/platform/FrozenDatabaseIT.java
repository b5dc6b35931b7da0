package dev.payrail.platform;

import static dev.payrail.support.ProblemAssertions.assertProblem;
import static dev.payrail.support.ServerProcesses.awaitHealthy;
import static dev.payrail.support.ServerProcesses.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.payrail.support.Http;
import dev.payrail.support.Json;
import dev.payrail.support.ServerProcesses;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A database that stops answering altogether (every PostgreSQL process stopped with SIGSTOP: connections stay
 * open, nothing is read, nothing is refused) takes the node out of readiness and turns authentication into prompt
 * 503s; when the database thaws, both come back by themselves. Runs the packaged jar as a child process, since
 * the embedded PostgreSQL it freezes must not be the one the other tests share.
 */
class FrozenDatabaseIT {

    private final ServerProcesses servers = new ServerProcesses();
    private final Path dataDir = ServerProcesses.freshDataDir("frozen-db");
    private final List<Long> frozen = new ArrayList<>();

    @AfterEach
    void thawAndStop() throws Exception {
        signal("CONT", frozen); // whatever happened, never leave a stopped PostgreSQL behind
        servers.close();
    }

    @Test
    void readinessAndAuthenticationAnswer503WhileTheDatabaseIsFrozenAndRecoverWhenItThaws() throws Exception {
        int port = freePort();
        Http http = new Http(port);
        Process server = servers.start("frozen-db", Map.of(), "--payrail.data.dir=" + dataDir,
                "--payrail.http.port=" + port, "--payrail.roles=api,admin");
        awaitHealthy(http, server);
        // /health answers once the web server is up; readiness only after every start-up runner has finished
        // (the first operator account's Argon2 hash among them), which on a busy machine is a moment later.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(http.get("/actuator/health/readiness", Map.of()).statusCode()).isEqualTo(200));
        String key = newMerchantKey(http); // never looked up yet, so not in the authentication cache

        freeze();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(http.get("/actuator/health/readiness", Map.of()).statusCode()).isEqualTo(503));
        HttpResponse<String> readiness = http.get("/actuator/health/readiness", Map.of());
        assertThat(Json.parse(readiness.body()).get("status").asString()).isEqualTo("DOWN");
        assertThat(http.get("/health", Map.of()).statusCode()).isEqualTo(503);
        HttpResponse<String> authentication = http.get("/v1/payments", Map.of("X-API-Key", key));
        assertProblem(authentication, 503, "temporarily_unavailable");
        assertThat(authentication.headers().firstValue("Retry-After")).isPresent();

        signal("CONT", frozen);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(http.get("/actuator/health/readiness", Map.of()).statusCode()).isEqualTo(200));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(http.get("/v1/payments", Map.of("X-API-Key", key)).statusCode()).isEqualTo(200));
    }

    private static String newMerchantKey(Http http) {
        HttpResponse<String> created = http.post("/admin-api/merchants",
                Map.of("Authorization", "Bearer dev-admin", "Content-Type", "application/json"),
                "{\"webhook_url\":\"http://127.0.0.1:9/hook\",\"api_secret\":\"s\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        return Json.parse(created.body()).get("api_key").asString();
    }

    /** SIGSTOP to the postmaster first (so it forks nobody new), then to every backend and helper it runs. */
    private void freeze() throws IOException, InterruptedException {
        long postmaster = Long.parseLong(
                Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).getFirst().trim());
        ProcessHandle handle = ProcessHandle.of(postmaster).orElseThrow();
        frozen.add(postmaster);
        signal("STOP", List.of(postmaster));
        List<Long> children = handle.descendants().map(ProcessHandle::pid).toList();
        frozen.addAll(children);
        signal("STOP", children);
    }

    private static void signal(String signal, List<Long> pids) throws IOException, InterruptedException {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = Stream.concat(Stream.of("kill", "-" + signal), pids.stream().map(String::valueOf))
                .toList();
        Process kill = new ProcessBuilder(command).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
}
