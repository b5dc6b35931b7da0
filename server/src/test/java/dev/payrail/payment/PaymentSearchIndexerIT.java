package dev.payrail.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.payrail.support.ApiTestBase;
import dev.payrail.support.IntegrationTest;
import dev.payrail.support.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The operators' q searches {@code payment_search}, which the search indexer fills from the payments topic: a
 * created payment becomes findable by a piece of its order id, key or id; indexing it again (a replayed poll)
 * changes nothing; and nothing of it is written by the intake itself, whose transaction no longer carries the
 * trigram index (V16 dropped it from payments).
 */
@IntegrationTest
class PaymentSearchIndexerIT extends ApiTestBase {

    private static final Map<String, String> ADMIN = Map.of("Authorization", "Bearer dev-admin");

    @Autowired
    PaymentSearchIndexer indexer;

    @Test
    void aCreatedPaymentBecomesSearchableByAPieceOfItsFieldsAndIndexingAgainChangesNothing() {
        String order = "srch-" + UUID.randomUUID();
        HttpResponse<String> created = http.createPayment("/v1/payments", "key-" + order,
                "{\"amount\":1234,\"currency\":\"EUR\",\"order_id\":\"%s\"}".formatted(order));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        UUID id = UUID.fromString(Json.parse(created.body()).get("payment_id").asString());

        await().atMost(Duration.ofSeconds(30)).until(() -> searchText(id) != null);
        assertThat(searchText(id)).isEqualTo(id + " key-" + order + " EUR " + order);
        assertThat(found(order.substring(5, 20))).containsExactly(id.toString());
        assertThat(found("key-" + order)).containsExactly(id.toString());
        assertThat(found(id.toString().substring(10, 30))).containsExactly(id.toString());

        // A poll handled again after a crash before its offsets were committed: nothing new, nothing doubled.
        assertThat(indexer.index(List.of(id))).isZero();
        assertThat(jdbc.sql("select count(*) from payment_search where payment_id = ?").param(id)
                .query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from pg_indexes where tablename = 'payments' and indexdef ilike '%gin%'")
                .query(Long.class).single()).as("no trigram index left on payments").isZero();
    }

    @Test
    void aPaymentNotYetIndexedIsFoundByItsFullIdOnlyUntilItIs() {
        // A payment row with no event behind it stands for one created a moment ago, before the indexer ran.
        UUID merchant = UUID.fromString("0b85ac22-a90a-4019-b0e7-9d07b672cf34");
        UUID id = UUID.randomUUID();
        String order = "fresh-" + UUID.randomUUID();
        jdbc.sql("""
                insert into payments (payment_id, merchant_id, amount, currency, status, order_id, created_at, updated_at)
                values (?, ?, 500, 'USD', 'declined', ?, now(), now())""").params(id, merchant, order).update();

        assertThat(found(id.toString())).containsExactly(id.toString());
        assertThat(found(order)).isEmpty();

        assertThat(indexer.index(List.of(id))).isEqualTo(1);
        assertThat(found(order)).containsExactly(id.toString());
    }

    private String searchText(UUID id) {
        return jdbc.sql("select search_text from payment_search where payment_id = ?").param(id)
                .query(String.class).optional().orElse(null);
    }

    private List<String> found(String q) {
        HttpResponse<String> answer = http.get("/admin-api/payments?q=" + q, ADMIN);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        List<String> ids = new java.util.ArrayList<>();
        Json.parse(answer.body()).get("items").forEach(item -> ids.add(item.get("payment_id").asString()));
        return ids;
    }
}
