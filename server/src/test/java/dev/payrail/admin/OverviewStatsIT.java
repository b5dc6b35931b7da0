package dev.payrail.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.payrail.support.ApiTestBase;
import dev.payrail.support.IntegrationTest;
import dev.payrail.support.Json;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /admin-api/stats/overview} against payments this test takes through the merchant API: three approved
 * and two hard-declined test-card payments of a merchant of its own, a partial refund, a webhook delivery left
 * pending, and a payment from two hours ago that only the longest window sees. The figures for the merchant are
 * exact (other tests' payments share the database, so the merchant filter isolates them); the backlog and the
 * intake latency are global and checked as bounds.
 */
@IntegrationTest
class OverviewStatsIT extends ApiTestBase {

    private static final Map<String, String> ADMIN = Map.of("Authorization", "Bearer dev-admin",
            "Content-Type", "application/json");
    private static final String APPROVE = "4242424242424242";
    private static final String HARD_DECLINE = "4000000000000002";

    @Test
    void theOverviewCountsThisMerchantsPaymentsRefundsAttemptsBacklogAndIntakeLatency() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        JsonNode merchant = merchantWithReceiver("ovw-" + suffix);
        String merchantId = merchant.get("id").asString();
        String apiKey = merchant.get("api_key").asString();
        UUID endpointId = UUID.fromString(merchant.get("webhook_endpoint_id").asString());

        List<String> approved = new ArrayList<>();
        String firstKey = "ovw-first-" + suffix;
        approved.add(pay(apiKey, APPROVE, firstKey));
        for (int i = 0; i < 2; i++) {
            approved.add(pay(apiKey, APPROVE));
        }
        for (int i = 0; i < 2; i++) {
            pay(apiKey, HARD_DECLINE);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.sql(
                "select count(*) from payments where merchant_id = ? and status in ('approved', 'declined')")
                .param(UUID.fromString(merchantId)).query(Long.class).single() == 5);

        HttpResponse<String> refund = http.post("/admin-api/payments/" + approved.getFirst() + "/refunds", ADMIN,
                "{\"amount\":100}");
        assertThat(refund.statusCode()).as(refund.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.sql(
                "select count(*) from refunds where merchant_id = ? and status = 'succeeded'")
                .param(UUID.fromString(merchantId)).query(Long.class).single() == 1);

        // a payment from two hours ago: outside the default hour, inside the longest window (180 minutes)
        jdbc.sql("""
                insert into payments (payment_id, merchant_id, amount, currency, status, order_id, created_at, updated_at)
                values (uuidv7(interval '-2 hours'), ?, 500, 'EUR', 'failed', 'ovw-old',
                        now() - interval '2 hours', now() - interval '2 hours')""")
                .param(UUID.fromString(merchantId)).update();
        // a delivery pending for ten minutes and not due for a day: the sender leaves it alone
        Instant pendingSince = Instant.now().minus(Duration.ofMinutes(10));
        UUID eventId = UUID.randomUUID();
        jdbc.sql("""
                insert into webhook_events (event_id, merchant_id, event_type, object_id, created_at, data)
                values (?, ?, 'payment.approved', ?, ?, '{}'::jsonb)""")
                .params(eventId, UUID.fromString(merchantId), UUID.fromString(approved.getLast()),
                        Timestamp.from(pendingSince)).update();
        jdbc.sql("""
                insert into webhook_deliveries (delivery_id, event_id, event_type, endpoint_id, status,
                                                next_attempt_at, created_at, updated_at)
                values (?, ?, 'payment.approved', ?, 'pending', now() + interval '1 day', ?, ?)""")
                .params(UUID.randomUUID(), eventId, endpointId, Timestamp.from(pendingSince),
                        Timestamp.from(pendingSince)).update();
        try {
            // the intake's p99 covers about the last 2 minutes: a replay (the same payment, no new one) keeps it recent
            assertThat(pay(apiKey, APPROVE, firstKey)).isEqualTo(approved.getFirst());
            JsonNode hour = overview("merchant_id=" + merchantId);
            assertThat(hour.get("minutes").asInt()).isEqualTo(60);
            assertThat(hour.get("to").asLong() - hour.get("from").asLong()).isBetween(59 * 60L, 60 * 60L);
            assertThat(hour.get("merchant_id").asString()).isEqualTo(merchantId);
            JsonNode byStatus = hour.get("payments_by_status");
            assertThat(byStatus.get("approved").asLong()).isEqualTo(3);
            assertThat(byStatus.get("declined").asLong()).isEqualTo(2);
            assertThat(byStatus.get("failed").asLong()).as("two hours ago is outside the hour").isZero();
            assertThat(byStatus.get("new").asLong()).isZero();
            assertThat(byStatus.get("processing").asLong()).isZero();
            long perMinute = 0;
            for (JsonNode minute : hour.get("payments_per_minute")) {
                assertThat(minute.get("minute").asLong() % 60).isZero();
                assertThat(minute.get("minute").asLong()).isBetween(hour.get("from").asLong(), hour.get("to").asLong());
                for (JsonNode n : minute.get("counts_by_status")) {
                    perMinute += n.asLong();
                }
            }
            assertThat(perMinute).isEqualTo(5);

            long attemptsApproved = 0;
            long attemptsDeclined = 0;
            for (JsonNode acquirer : hour.get("acquirers")) {
                long a = acquirer.get("approved").asLong();
                long d = acquirer.get("declined").asLong();
                attemptsApproved += a;
                attemptsDeclined += d;
                assertThat(acquirer.get("attempts").asLong()).isGreaterThanOrEqualTo(a + d);
                if (a + d > 0) {
                    assertThat(acquirer.get("approval_rate").asDouble()).isCloseTo((double) a / (a + d),
                            org.assertj.core.data.Offset.offset(1e-9));
                    assertThat(acquirer.get("latency_p99_ms").asDouble())
                            .isGreaterThanOrEqualTo(acquirer.get("latency_p50_ms").asDouble()).isGreaterThanOrEqualTo(0);
                }
            }
            assertThat(attemptsApproved).as("test cards: one approving attempt each").isEqualTo(3);
            assertThat(attemptsDeclined).as("hard declines do not cascade").isEqualTo(2);

            assertThat(hour.get("refunds_by_status").get("succeeded").asLong()).isEqualTo(1);
            assertThat(hour.get("refunds_by_status").get("failed").asLong()).isZero();
            assertThat(hour.get("refunds_per_minute")).isNotEmpty();

            JsonNode webhooks = hour.get("webhooks");
            assertThat(webhooks.get("pending").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(webhooks.get("oldest_pending_at").asLong()).isLessThanOrEqualTo(pendingSince.getEpochSecond());
            assertThat(webhooks.get("oldest_pending_age_seconds").asLong()).isGreaterThanOrEqualTo(9 * 60);

            JsonNode intake = hour.get("intake");
            assertThat(intake.get("latency_p99_ms").isNull()).as("five intakes just now were measured").isFalse();
            assertThat(intake.get("latency_p99_ms").asDouble()).isPositive();

            JsonNode longest = overview("merchant_id=" + merchantId + "&minutes=180");
            assertThat(longest.get("payments_by_status").get("failed").asLong()).isEqualTo(1);
            assertThat(longest.get("payments_by_status").get("approved").asLong()).isEqualTo(3);

            JsonNode everyone = overview("minutes=5");
            assertThat(everyone.get("merchant_id").isNull()).isTrue();
            assertThat(everyone.get("payments_by_status").get("approved").asLong()).isGreaterThanOrEqualTo(3);
        } finally {
            jdbc.sql("delete from webhook_events where event_id = ?").param(eventId).update();
        }
    }

    @Test
    void aBadWindowOrMerchantIsRefusedNamingTheField() {
        for (String query : List.of("minutes=0", "minutes=181", "minutes=ten", "merchant_id=nope")) {
            HttpResponse<String> answer = http.get("/admin-api/stats/overview?" + query, ADMIN);
            assertThat(answer.statusCode()).as(query).isEqualTo(422);
            JsonNode problem = Json.parse(answer.body());
            assertThat(problem.get("code").asString()).isEqualTo("validation_failed");
            assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo(query.substring(0, query.indexOf('=')));
        }
        assertThat(http.get("/admin-api/stats/overview", Map.of()).statusCode()).isEqualTo(401);
        assertThat(http.get("/api/admin-api/stats/overview?minutes=1", ADMIN).statusCode()).isEqualTo(200);
    }

    private JsonNode overview(String query) {
        HttpResponse<String> answer = http.get("/admin-api/stats/overview?" + query, ADMIN);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.parse(answer.body());
    }

    private String pay(String apiKey, String card) {
        return pay(apiKey, card, "ovw-" + UUID.randomUUID());
    }

    private String pay(String apiKey, String card, String idempotencyKey) {
        HttpResponse<String> created = http.post("/v1/payments", Map.of("X-API-Key", apiKey,
                "Content-Type", "application/json", "Idempotency-Key", idempotencyKey), """
                {"amount":4200,"currency":"EUR","order_id":"overview-test",
                 "payment_method":{"type":"card","number":"%s","exp_month":12,"exp_year":2034,"cvc":"123"}}"""
                .formatted(card));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Json.parse(created.body()).get("payment_id").asString();
    }
}
