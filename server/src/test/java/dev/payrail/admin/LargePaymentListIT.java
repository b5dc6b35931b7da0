package dev.payrail.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.payrail.payment.PaymentSearch;
import dev.payrail.support.ApiTestBase;
import dev.payrail.support.IntegrationTest;
import dev.payrail.support.Json;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The operators' list over more matches than it counts exactly: a merchant with 10,050 payments (written
 * straight into the table). Above {@link PaymentSearch#EXACT_TOTAL_MAX} matches the total is an estimate and says
 * so; at or below it, exact. Either way the page is the right one, in the asked order, as SQL over the same rows
 * gives it.
 */
@IntegrationTest
class LargePaymentListIT extends ApiTestBase {

    private static final Map<String, String> ADMIN = Map.of("Authorization", "Bearer dev-admin");
    private static final int ROWS = PaymentSearch.EXACT_TOTAL_MAX + 50;

    UUID merchant;
    long now;

    @BeforeEach
    void aBusyMerchant() {
        merchant = UUID.randomUUID();
        now = Instant.now().getEpochSecond();
        jdbc.sql("""
                insert into merchants (merchant_id, name, webhook_url, webhook_secret_enc, created_at, updated_at)
                values (?, 'large-list', 'https://large.example/h', '\\x00'::bytea, now(), now())""")
                .param(merchant).update();
        // one payment a minute back from now; every 200th in SEK, the rest in EUR; amounts in a shuffled order
        jdbc.sql("""
                insert into payments (payment_id, merchant_id, amount, currency, status, order_id, idempotency_key,
                                      created_at, updated_at)
                select uuidv7(-(g * interval '1 minute')), ?, 1 + (g * 7919) % 100000,
                       case when g % 200 = 0 then 'SEK' else 'EUR' end, 'declined', 'large-' || g,
                       'large-key-' || md5(g::text), now() - g * interval '1 minute', now() - g * interval '1 minute'
                from generate_series(1, ?) g""")
                .params(merchant, ROWS).update();
        // Written without events, so made searchable here as PaymentSearchIndexer makes every created payment.
        jdbc.sql("""
                insert into payment_search (payment_id, search_text)
                select payment_id, payment_id::text || ' ' || coalesce(idempotency_key, '') || ' ' || currency::text
                       || ' ' || order_id
                from payments where merchant_id = ?""").param(merchant).update();
        jdbc.sql("analyze payments").update();
        jdbc.sql("analyze payment_search").update();
    }

    @AfterEach
    void removeThem() {
        jdbc.sql("delete from payment_search where payment_id in (select payment_id from payments where merchant_id = ?)")
                .param(merchant).update();
        jdbc.sql("delete from payments where merchant_id = ?").param(merchant).update();
        jdbc.sql("delete from webhook_endpoints where merchant_id = ?").param(merchant).update();
        jdbc.sql("delete from merchants where merchant_id = ?").param(merchant).update();
    }

    @Test
    void overTenThousandMatchesTheTotalIsAnEstimateAndThePageIsStillExact() {
        JsonNode page = list("merchant_id=" + merchant);
        assertThat(page.get("total_is_estimate").asBoolean()).isTrue();
        assertThat(page.get("total").asLong()).isGreaterThan(PaymentSearch.EXACT_TOTAL_MAX);
        assertThat(ids(page)).containsExactlyElementsOf(sql("order by payment_id desc limit 25", ""));

        JsonNode deeper = list("merchant_id=" + merchant + "&limit=50&offset=10000&order=asc");
        assertThat(ids(deeper)).containsExactlyElementsOf(sql("order by payment_id asc limit 50 offset 10000", ""));
        JsonNode byAmount = list("merchant_id=" + merchant + "&sort=amount&order=desc&limit=30");
        assertThat(ids(byAmount)).containsExactlyElementsOf(sql("order by amount desc, payment_id desc limit 30", ""));
    }

    @Test
    void atMostTenThousandMatchesTheTotalIsExact() {
        JsonNode sek = list("merchant_id=" + merchant + "&currency=SEK&sort=amount&order=asc&limit=10");
        assertThat(sek.get("total_is_estimate").asBoolean()).isFalse();
        assertThat(sek.get("total").asLong()).isEqualTo(ROWS / 200);
        assertThat(ids(sek)).containsExactlyElementsOf(
                sql("order by amount asc, payment_id asc limit 10", " and currency = 'SEK'"));

        // a day's payments, newest first by creation time
        long from = now - 2 * 86_400;
        long to = now - 86_400;
        JsonNode day = list("merchant_id=" + merchant + "&created_from=" + from + "&created_to=" + to + "&limit=200");
        assertThat(day.get("total_is_estimate").asBoolean()).isFalse();
        String range = " and created_at between to_timestamp(" + from + ") and to_timestamp(" + to + ")";
        assertThat(day.get("total").asLong()).isEqualTo(count(range));
        assertThat(ids(day)).containsExactlyElementsOf(sql("order by created_at desc, payment_id desc limit 200", range));

        // a piece of one idempotency key: one payment among them all
        String key = jdbc.sql("select idempotency_key from payments where merchant_id = ? and order_id = 'large-4321'")
                .param(merchant).query(String.class).single();
        JsonNode one = list("q=" + key.substring(12, 24));
        assertThat(one.get("total").asLong()).isEqualTo(1);
        assertThat(one.get("total_is_estimate").asBoolean()).isFalse();
        assertThat(one.get("items").get(0).get("order_id").asString()).isEqualTo("large-4321");

        // and a query matching nothing is an exact zero
        JsonNode none = list("merchant_id=" + merchant + "&status=approved");
        assertThat(none.get("total").asLong()).isZero();
        assertThat(none.get("items").isEmpty()).isTrue();
    }

    @Test
    void statsCountsAStatusOverTenThousandByEstimateAndTheOthersExactly() {
        Map<String, Long> before = countsByStatus();
        JsonNode stats = Json.parse(http.get("/admin-api/stats", ADMIN).body());
        Map<String, Long> after = countsByStatus();

        assertThat(stats.get("estimated").asBoolean()).isTrue();
        long declined = after.get("declined");
        assertThat(stats.get("counts_by_status").get("declined").asLong())
                .isGreaterThan(PaymentSearch.EXACT_TOTAL_MAX)
                .isBetween(declined * 9 / 10, declined * 11 / 10);
        long sum = 0;
        for (String status : List.of("new", "processing", "approved", "declined", "failed")) {
            long shown = stats.get("counts_by_status").get(status).asLong();
            sum += shown;
            // exact for a small status, unless processing moved one of its payments during the call
            if (before.get(status) <= PaymentSearch.EXACT_TOTAL_MAX && before.get(status).equals(after.get(status))) {
                assertThat(shown).as(status).isEqualTo(after.get(status));
            }
        }
        assertThat(stats.get("payments_total").asLong()).isEqualTo(sum);
    }

    private Map<String, Long> countsByStatus() {
        Map<String, Long> counts = new HashMap<>();
        for (String status : List.of("new", "processing", "approved", "declined", "failed")) {
            counts.put(status, jdbc.sql("select count(*) from payments where status = ?").param(status)
                    .query(Long.class).single());
        }
        return counts;
    }

    private JsonNode list(String query) {
        HttpResponse<String> answer = http.get("/admin-api/payments?" + query, ADMIN);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.parse(answer.body());
    }

    private static List<String> ids(JsonNode page) {
        List<String> found = new ArrayList<>();
        page.get("items").forEach(item -> found.add(item.get("payment_id").asString()));
        return found;
    }

    private List<String> sql(String orderAndLimit, String condition) {
        return jdbc.sql("select payment_id::text from payments where merchant_id = ?" + condition + " " + orderAndLimit)
                .param(merchant).query(String.class).list();
    }

    private long count(String condition) {
        return jdbc.sql("select count(*) from payments where merchant_id = ?" + condition).param(merchant)
                .query(Long.class).single();
    }
}
