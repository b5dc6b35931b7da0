package dev.payrail.payment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.payrail.support.ApiTestBase;
import dev.payrail.support.IntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The overview's reads stay within their window: over a merchant with 30,000 payments and attempts, one a minute
 * back from now (three weeks), the plans of the last hour's reads are index range scans, never a scan of
 * {@code payments} or {@code payment_attempts}, with and without a merchant; and the figures are those of the last
 * hour only.
 */
@IntegrationTest
class PaymentActivityPlanIT extends ApiTestBase {

    private static final int ROWS = 30_000;

    UUID merchant;

    @BeforeEach
    void threeWeeksOfPayments() {
        merchant = UUID.randomUUID();
        jdbc.sql("""
                insert into merchants (merchant_id, name, webhook_url, webhook_secret_enc, created_at, updated_at)
                values (?, 'activity-plan', 'https://plan.example/h', '\\x00'::bytea, now(), now())""")
                .param(merchant).update();
        jdbc.sql("""
                insert into payments (payment_id, merchant_id, amount, currency, status, order_id, idempotency_key,
                                      created_at, updated_at, acquirer)
                select uuidv7(-(g * interval '1 minute')), ?, 100, 'EUR',
                       case when g % 4 = 0 then 'declined' else 'approved' end, 'plan-' || g, null,
                       now() - g * interval '1 minute', now() - g * interval '1 minute', 'planacq'
                from generate_series(1, ?) g""")
                .params(merchant, ROWS).update();
        jdbc.sql("""
                insert into payment_attempts (payment_id, attempt_no, acquirer, reference, outcome, latency_ms, created_at)
                select payment_id, 1, 'planacq', payment_id::text, status, 10 + (amount % 7), created_at
                from payments where merchant_id = ?""")
                .param(merchant).update();
        jdbc.sql("analyze payments").update();
        jdbc.sql("analyze payment_attempts").update();
    }

    @AfterEach
    void removeThem() {
        jdbc.sql("delete from payment_attempts where payment_id in (select payment_id from payments where merchant_id = ?)")
                .param(merchant).update();
        jdbc.sql("delete from payments where merchant_id = ?").param(merchant).update();
        jdbc.sql("delete from merchants where merchant_id = ?").param(merchant).update();
    }

    @Test
    void theLastHoursReadsUseIndexRangesNotTheWholeTables() {
        Instant since = Instant.now().minus(Duration.ofHours(1));
        for (boolean oneMerchant : new boolean[] {false, true}) {
            for (String sql : new String[] {PaymentActivity.perMinuteSql(oneMerchant), PaymentActivity.byAcquirerSql(oneMerchant)}) {
                String plan = String.join("\n", jdbc.sql("explain " + sql)
                        .params(PaymentActivity.params(since, oneMerchant ? merchant : null)).query(String.class).list());
                assertThat(plan).as(plan).doesNotContain("Seq Scan on payments").doesNotContain("Seq Scan on payment_attempts")
                        .containsPattern("Index (Only )?Scan");
            }
        }
    }

    @Test
    void theFiguresAreTheWindowsOnly() {
        var activity = new PaymentActivity(jdbc);
        Instant since = Instant.now().minus(Duration.ofMinutes(60)).plusSeconds(30);
        long inWindow = activity.perMinute(since, merchant).stream().mapToLong(PaymentActivity.MinuteCount::count).sum();
        long expected = jdbc.sql("select count(*) from payments where merchant_id = ? and created_at >= ?")
                .params(merchant, java.sql.Timestamp.from(since)).query(Long.class).single();
        assertThat(expected).isBetween(58L, 60L);
        assertThat(inWindow).isEqualTo(expected);

        var planacq = activity.byAcquirer(since, merchant).stream().filter(a -> a.acquirer().equals("planacq"))
                .findFirst().orElseThrow();
        assertThat(planacq.attempts()).isEqualTo(expected);
        assertThat(planacq.approved() + planacq.declined()).isEqualTo(expected);
        assertThat(planacq.declined()).isEqualTo(jdbc.sql(
                "select count(*) from payments where merchant_id = ? and created_at >= ? and status = 'declined'")
                .params(merchant, java.sql.Timestamp.from(since)).query(Long.class).single());
        assertThat(planacq.latencyP99Ms()).isBetween(10L, 16L);
    }
}
