package dev.payrail.merchant;

import static dev.payrail.support.Http.DEMO_KEY;
import static dev.payrail.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.payrail.support.Http;
import dev.payrail.support.IntegrationTest;
import dev.payrail.support.Json;
import dev.payrail.support.RawHttp;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * X-API-Key authentication against a real PostgreSQL: a locked or slow {@code api_keys} table is a prompt 503
 * rather than a hang or a 500, concurrent misses for one key cost one lookup, a header sent twice is refused, and
 * the presented key never appears in the log.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class ApiKeyAuthenticationIT {

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry meters;

    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    /** Registered at the first lookup that went to the database; none yet is 0. */
    double lookups() {
        var counter = meters.find("payrail.api_key.lookups").counter();
        return counter == null ? 0 : counter.count();
    }

    HttpResponse<String> listAs(String apiKey) {
        return http.get("/v1/payments?limit=1", Map.of("X-API-Key", apiKey));
    }

    /** A merchant created through the admin API; its key has never been used, so it is in no cache. */
    String newMerchantKey() {
        return newMerchantKey(ApiKeys.generate());
    }

    String newMerchantKey(String apiKey) {
        HttpResponse<String> created = http.post("/admin-api/merchants",
                Map.of("Authorization", "Bearer dev-admin", "Content-Type", "application/json"),
                "{\"webhook_url\":\"http://127.0.0.1:9/hook\",\"api_secret\":\"s\",\"api_key\":\"" + apiKey + "\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        return Json.parse(created.body()).get("api_key").asString();
    }

    /** Holds an ACCESS EXCLUSIVE lock on api_keys, which makes every lookup wait, until closed. */
    Connection lockApiKeys() throws Exception {
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("lock table api_keys in access exclusive mode");
        }
        return connection;
    }

    static void release(Connection lock) throws Exception {
        lock.rollback();
        lock.close();
    }

    @Test
    void aLockOnApiKeysIsA503WithRetryAfterNotAHang(CapturedOutput output) throws Exception {
        String key = newMerchantKey();
        Connection lock = lockApiKeys();
        HttpResponse<String> whileLocked;
        try {
            whileLocked = listAs(key);
        } finally {
            release(lock);
        }
        assertProblem(whileLocked, 503, "temporarily_unavailable");
        assertThat(whileLocked.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(listAs(key).statusCode()).as("the same key once the lock is gone").isEqualTo(200);
        // Neither the key nor a stack trace per refused request: an outage must not fill the disk.
        assertThat(output.getAll()).doesNotContain(key).doesNotContain("at dev.payrail.merchant.Merchants");
    }

    @Test
    void concurrentMissesForOneKeyShareOneLookup() throws Exception {
        String key = newMerchantKey();
        int requests = 20;
        double before = lookups();
        List<HttpResponse<String>> answers = new ArrayList<>();
        Connection lock = lockApiKeys();
        try (var clients = Executors.newFixedThreadPool(requests)) {
            // The lock holds the first lookup for its whole timeout, so every request arrives while it is out.
            CountDownLatch start = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                futures.add(clients.submit(() -> {
                    start.await();
                    return listAs(key);
                }));
            }
            start.countDown();
            for (var future : futures) {
                answers.add(future.get());
            }
        } finally {
            release(lock);
        }
        assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(503);
        assertThat(lookups() - before).as("database lookups for %d concurrent requests", requests).isEqualTo(1);
    }

    @Test
    void aKeyIsCheckedAgainOnceFoundAndServedFromTheCacheAfterwards() {
        String key = newMerchantKey();
        double before = lookups();
        assertThat(listAs(key).statusCode()).isEqualTo(200);
        assertThat(listAs(key).statusCode()).isEqualTo(200);
        assertThat(lookups() - before).isEqualTo(1);
    }

    @Test
    void aKeyCreatedJustAfterBeingRefusedWorksAtOnce() {
        String key = ApiKeys.generate();
        assertProblem(listAs(key), 401, "api_key_invalid");
        newMerchantKey(key);
        assertThat(listAs(key).statusCode()).as("refusals are not cached").isEqualTo(200);
    }

    @Test
    void twoApiKeyHeadersAreRefusedWhicheverComesFirst() {
        String unknown = "sk_live_00000000000000000000000000000000";
        for (String pair : List.of(DEMO_KEY + "\r\nX-API-Key: " + unknown, unknown + "\r\nX-API-Key: " + DEMO_KEY)) {
            RawHttp.Response response = RawHttp.exchange(port, "GET /v1/payments HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\nX-API-Key: " + pair, new byte[0]);
            assertProblem(response, 400, "duplicate_header");
            assertThat(response.body()).doesNotContain(DEMO_KEY).doesNotContain(unknown);
        }
    }

    @Test
    void aMalformedKeyIsRefusedWithoutALookupAndNeverLogged(CapturedOutput output) {
        String malformed = "sk_live_not-a-key-but-maybe-a-password-" + System.nanoTime();
        double before = lookups();
        HttpResponse<String> response = listAs(malformed);
        assertProblem(response, 401, "api_key_invalid");
        assertThat(response.body()).doesNotContain(malformed);
        assertThat(lookups()).isEqualTo(before);
        assertThat(output.getAll()).doesNotContain(malformed);
    }
}
