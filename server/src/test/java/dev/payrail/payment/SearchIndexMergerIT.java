package dev.payrail.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.payrail.support.ApiTestBase;
import dev.payrail.support.IntegrationTest;
import dev.payrail.support.Json;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import javax.sql.DataSource;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The q search's trigram index keeps up without the intake merging it: new payments only append to the index's
 * pending list (64 MB limit, V15), the background merger folds the list into the index, and a payment is found by
 * q at once, whether its trigrams are still pending or already merged.
 */
@IntegrationTest
class SearchIndexMergerIT extends ApiTestBase {

    @Autowired
    MeterRegistry meters;

    @Autowired
    DataSource dataSource;

    @Autowired
    Environment environment;

    @Test
    void theIndexTakesNewPaymentsIntoItsPendingListAndTheMergerFoldsThemIn() {
        String options = jdbc.sql("select array_to_string(reloptions, ',') from pg_class where relname = ?")
                .param(SearchIndexMerger.INDEX).query(String.class).single();
        assertThat(options).contains("gin_pending_list_limit=65536");

        double mergedBefore = merged();
        String order = "srch-" + UUID.randomUUID();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            HttpResponse<String> created = http.createPayment("/v1/payments", order + "-" + i,
                    "{\"amount\":%d,\"currency\":\"EUR\",\"order_id\":\"%s-%d\"}".formatted(100 + i, order, i));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            ids.add(Json.parse(created.body()).get("payment_id").asString());
        }
        assertThat(found(order)).as("found while pending or merged").isEqualTo(ids);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(merged()).isGreaterThan(mergedBefore));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(jdbc
                .sql("select gin_clean_pending_list('" + SearchIndexMerger.INDEX + "'::regclass)")
                .query(Long.class).single()).as("pending pages left for anyone else to merge").isZero());
        assertThat(found(order)).as("found once merged").isEqualTo(ids);
    }

    /**
     * A database user that did not run the migrations may not merge the index: PostgreSQL refuses with
     * insufficient_privilege, which the merger takes as "leave it to PostgreSQL" (said once in the log), not as a
     * failure to retry for ever.
     */
    @Test
    void aUserThatDoesNotOwnTheIndexLeavesTheMergingToPostgresql() throws Exception {
        String url = ((HikariDataSource) dataSource).getJdbcUrl();
        String superuserPassword = Files.readString(Path.of(environment.getRequiredProperty("payrail.data.dir"))
                .resolve("secrets").resolve("postgres-superuser.password")).trim();
        String role = "search_reader_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection superuser = DriverManager.getConnection(url, "postgres", superuserPassword);
             Statement sql = superuser.createStatement()) {
            sql.execute("create role " + role + " login password 'not-the-owner'");
            try {
                var notOwner = new SearchIndexMerger(
                        JdbcClient.create(new DriverManagerDataSource(url, role, "not-the-owner")), new SimpleMeterRegistry());
                assertThat(notOwner.merge()).isZero();
                assertThat(notOwner.leftToPostgresql()).isTrue();
                assertThat(notOwner.merge()).as("not asked again").isZero();
            } finally {
                sql.execute("drop role " + role);
            }
        }
    }

    private double merged() {
        return meters.get("payrail.payments.search.pending.pages.merged").counter().count();
    }

    private Set<String> found(String q) {
        HttpResponse<String> answer = http.get("/admin-api/payments?limit=200&q=" + q,
                Map.of("Authorization", "Bearer dev-admin"));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        Set<String> found = new HashSet<>();
        Json.parse(answer.body()).get("items").forEach(item -> found.add(item.get("payment_id").asString()));
        return found;
    }
}
