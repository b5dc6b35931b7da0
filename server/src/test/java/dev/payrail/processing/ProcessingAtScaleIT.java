package dev.payrail.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.payrail.support.Http;
import dev.payrail.support.IntegrationTest;
import dev.payrail.support.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The first acceptance line of processing: 1,000 payments across every test card, sent at once by 16 clients,
 * all end in the status the README's table gives (none stays {@code processing}), and Payrail's approvals and the
 * simulators' books agree one for one.
 */
@IntegrationTest
class ProcessingAtScaleIT {

    private static final int PAYMENTS = 1_000;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void resetSimulators() {
        Http http = new Http(port);
        for (String acquirer : List.of("alpha", "beta", "gamma")) {
            http.post("/simulators/acquirers/" + acquirer + "/knobs/reset", Map.of("Content-Type", "application/json"), "{}");
        }
    }

    @Test
    void aThousandPaymentsAcrossEveryTestCardEndAsTheTableSaysAndTheBooksAgree() throws Exception {
        Http http = new Http(port);
        String run = "scale-" + UUID.randomUUID();
        List<Future<UUID>> created = new ArrayList<>();
        try (var clients = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < PAYMENTS; i++) {
                TestCards card = TestCards.TABLE.get(i % TestCards.TABLE.size());
                created.add(clients.submit(() -> {
                    HttpResponse<String> answer = http.createPayment("/v1/payments", UUID.randomUUID().toString(),
                            card.paymentBody(run));
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
                    return UUID.fromString(Json.parse(answer.body()).get("payment_id").asString());
                }));
            }
        }
        List<UUID> ids = new ArrayList<>();
        for (Future<UUID> f : created) {
            ids.add(f.get());
        }

        await("every payment final").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                .until(() -> jdbc.sql("select count(*) from payments where order_id = ? and status = 'processing'")
                        .param(run).query(Long.class).single() == 0);

        Map<UUID, Ending> endings = new java.util.HashMap<>();
        jdbc.sql("select payment_id, status, acquirer, decline_code from payments where order_id = ?").param(run)
                .query(rs -> {
                    endings.put(rs.getObject("payment_id", UUID.class), new Ending(rs.getString("status"),
                            rs.getString("acquirer"), rs.getString("decline_code")));
                });
        assertThat(endings).hasSize(PAYMENTS);
        for (int i = 0; i < PAYMENTS; i++) {
            TestCards card = TestCards.TABLE.get(i % TestCards.TABLE.size());
            assertThat(endings.get(ids.get(i))).as("payment %s with card %s", ids.get(i), card.card())
                    .isEqualTo(new Ending(card.status(), card.acquirer(), card.declineCode()));
        }
        assertThat(Reconciliation.of(jdbc::sql, run).mismatches()).isEmpty();
    }

    /**
     * Every state change of a payment finds it by {@code payment_id = ? and status = 'processing'}, and every
     * authorization a simulator books is looked up by {@code acquirer = ? and reference = ?}. A connection's cached
     * generic plan once took a partial index on the status, or an index that starts with the acquirer, for these and
     * read every payment in processing, or the acquirer's whole books, for each one (V17): processing slowed down as
     * the tables grew. No index may offer itself for them again.
     */
    @Test
    void thePointLookupsOfProcessingHaveNoIndexButTheirKeyToTake() {
        assertThat(jdbc.sql("""
                select indexname from pg_indexes
                where tablename = 'payments' and indexdef ilike '% where %status%'""").query(String.class).list())
                .as("partial indexes on payments by status").isEmpty();
        assertThat(jdbc.sql("""
                select indexname from pg_indexes
                where tablename = 'simulator_ledger' and indexdef ilike '%(acquirer,%' and indexdef not ilike '% where %'
                order by indexname""").query(String.class).list())
                .as("indexes of the simulators' books that start with the acquirer and hold every row")
                .containsExactly("simulator_ledger_pkey");
    }

    record Ending(String status, String acquirer, String declineCode) {}
}
