package dev.payrail.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.payrail.support.ApiTestBase;
import dev.payrail.support.IntegrationTest;
import dev.payrail.support.Json;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * A backlog larger than {@link WebhookBacklog#COUNT_MAX}: the overview and the backlog gauge read it the same
 * bounded way (counted up to the cap, one more meaning more, and the oldest from the index), so neither reads a
 * whole large backlog every few seconds. The deliveries are written straight into the tables, pending and not due
 * for a day, so the sender leaves them alone; they are removed at the end.
 */
@IntegrationTest
class WebhookBacklogIT extends ApiTestBase {

    private static final Map<String, String> ADMIN = Map.of("Authorization", "Bearer dev-admin",
            "Content-Type", "application/json");

    @Autowired
    MeterRegistry meters;

    @Test
    void aBacklogAboveTheCapIsCountedToTheCapByTheOverviewAndTheGauge() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        JsonNode merchant = merchantWithReceiver("backlog-" + suffix);
        UUID merchantId = UUID.fromString(merchant.get("id").asString());
        UUID endpointId = UUID.fromString(merchant.get("webhook_endpoint_id").asString());
        int rows = WebhookBacklog.COUNT_MAX + 50;
        jdbc.sql("""
                insert into webhook_events (event_id, merchant_id, event_type, object_id, created_at, data)
                select uuidv7(), ?, 'payment.approved', gen_random_uuid(), now() - interval '2 hours', '{}'::jsonb
                from generate_series(1, ?)""").params(merchantId, rows).update();
        try {
            jdbc.sql("""
                    insert into webhook_deliveries (delivery_id, event_id, event_type, endpoint_id, status,
                                                    next_attempt_at, created_at, updated_at)
                    select gen_random_uuid(), event_id, event_type, ?, 'pending', now() + interval '1 day',
                           now() - interval '2 hours', now() - interval '2 hours'
                    from webhook_events where merchant_id = ?""").params(endpointId, merchantId).update();

            HttpResponse<String> overview = http.get("/admin-api/stats/overview", ADMIN);
            assertThat(overview.statusCode()).as(overview.body()).isEqualTo(200);
            JsonNode webhooks = Json.parse(overview.body()).get("webhooks");
            assertThat(webhooks.get("pending").asLong()).isEqualTo(WebhookBacklog.COUNT_MAX + 1);
            assertThat(webhooks.get("pending_is_capped").asBoolean()).isTrue();
            assertThat(webhooks.get("oldest_pending_age_seconds").asLong()).isGreaterThanOrEqualTo(7_200 - 5);

            // the gauges are measured every few seconds, by the same reader
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(meters.get("payrail.webhook.backlog").gauge().value())
                        .isEqualTo(WebhookBacklog.COUNT_MAX + 1);
                assertThat(meters.get("payrail.webhook.oldest.pending.seconds").gauge().value())
                        .isGreaterThanOrEqualTo(7_200 - 5);
            });
        } finally {
            jdbc.sql("delete from webhook_events where merchant_id = ?").param(merchantId).update();
        }
    }
}
