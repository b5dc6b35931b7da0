package dev.payrail.admin;

import static dev.payrail.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.payrail.support.ApiTestBase;
import dev.payrail.support.Http;
import dev.payrail.support.IntegrationTest;
import dev.payrail.support.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A payment's timeline in one call, and the console's lists of all webhook deliveries and events. */
@IntegrationTest
class PaymentTimelineIT extends ApiTestBase {

    private static final Map<String, String> ADMIN = Map.of("Authorization", "Bearer dev-admin");
    private static final String DEMO_MERCHANT = "0b85ac22-a90a-4019-b0e7-9d07b672cf34";

    /** A card payment's body; {@code 4242424242424242} is approved by alpha (README's test cards). */
    static String cardBody(String card, String orderId) {
        return """
                {"amount":4200,"currency":"EUR","order_id":"%s",
                 "payment_method":{"type":"card","number":"%s","exp_month":12,"exp_year":2034,"cvc":"123"}}"""
                .formatted(orderId, card);
    }

    @Test
    void anApprovedPaymentsTimelineRunsFromCreationThroughTheAcquirerToItsWebhookAndRefund() {
        String id = paid("4242424242424242", "timeline");
        await().atMost(Duration.ofSeconds(60)).until(() -> types(timeline(id)).contains("webhook_delivery")
                && delivered(timeline(id), "payment.approved"));
        HttpResponse<String> refund = http.post("/admin-api/payments/" + id + "/refunds",
                Map.of("Authorization", "Bearer dev-admin", "Content-Type", "application/json"),
                "{\"amount\":1000,\"reason\":\"timeline\"}");
        assertThat(refund.statusCode()).as(refund.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(60)).until(() -> entries(timeline(id), "refund").stream()
                .anyMatch(r -> "succeeded".equals(r.get("status").asString())));

        for (String prefix : List.of("/admin-api", "/api/admin-api")) {
            HttpResponse<String> answer = http.get(prefix + "/payments/" + id + "/timeline", ADMIN);
            assertThat(answer.statusCode()).isEqualTo(200);
            JsonNode timeline = Json.parse(answer.body());
            assertThat(timeline.get("payment_id").asString()).isEqualTo(id);
            assertThat(timeline.get("status").asString()).isEqualTo("approved");
            List<String> types = types(timeline);
            assertThat(types.subList(0, 3)).containsExactly("payment_created", "acquirer_attempt", "payment_final");
            assertThat(types).doesNotContain("manual_change");
            assertInTimeOrder(timeline);

            JsonNode created = timeline.get("entries").get(0);
            assertThat(created.get("amount").asLong()).isEqualTo(4200);
            assertThat(created.get("merchant_id").asString()).isEqualTo(DEMO_MERCHANT);
            JsonNode attempt = timeline.get("entries").get(1);
            assertThat(attempt.get("acquirer").asString()).isEqualTo("alpha");
            assertThat(attempt.get("outcome").asString()).isEqualTo("approved");
            assertThat(attempt.get("attempt_no").asInt()).isEqualTo(1);
            assertThat(attempt.get("code").isNull()).isTrue();
            assertThat(attempt.get("latency_ms").asInt()).isGreaterThanOrEqualTo(0);
            JsonNode finalStatus = timeline.get("entries").get(2);
            assertThat(finalStatus.get("status").asString()).isEqualTo("approved");
            assertThat(finalStatus.get("acquirer").asString()).isEqualTo("alpha");

            int approvedDelivery = indexOf(timeline, e -> e.get("type").asString().equals("webhook_delivery")
                    && e.get("event_type").asString().equals("payment.approved"));
            assertThat(approvedDelivery).isGreaterThan(2);
            JsonNode delivery = timeline.get("entries").get(approvedDelivery);
            assertThat(delivery.get("status").asString()).isEqualTo("delivered");
            JsonNode lastAttempt = delivery.get("attempts").get(delivery.get("attempts").size() - 1);
            assertThat(lastAttempt.get("status_code").asInt()).isBetween(200, 299);
            Instant.parse(lastAttempt.get("at").asString());
            int refunded = indexOf(timeline, e -> e.get("type").asString().equals("refund"));
            assertThat(refunded).isGreaterThan(approvedDelivery);
            assertThat(timeline.get("entries").get(refunded).get("amount").asLong()).isEqualTo(1000);
        }
    }

    @Test
    void aStatusSetByHandShowsAsTheFinalStatusFollowedByTheManualChange() {
        // The late card: alpha answers after the time-out, so the payment stays processing for seconds.
        String id = paid("4000000000000259", "timeline-manual");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> jdbc.sql(
                "select count(*) from payment_attempts where payment_id = ?::uuid").param(id).query(Long.class).single() > 0);
        HttpResponse<String> declined = patch("/admin-api/payments/" + id, "{\"status\":\"declined\",\"reason\":\"by hand\"}");
        assertThat(declined.statusCode()).as(declined.body()).isEqualTo(200);

        JsonNode timeline = timeline(id);
        assertThat(types(timeline).subList(0, 4))
                .containsExactly("payment_created", "acquirer_attempt", "payment_final", "manual_change");
        assertInTimeOrder(timeline);
        assertThat(timeline.get("entries").get(2).get("status").asString()).isEqualTo("declined");
        assertThat(timeline.get("entries").get(2).get("code").asString()).isEqualTo("manual");
        JsonNode change = timeline.get("entries").get(3);
        assertThat(change.get("from").asString() + ">" + change.get("to").asString()).isEqualTo("processing>declined");
        assertThat(change.get("reason").asString()).isEqualTo("by hand");
        assertThat(change.get("actor").asString()).isEqualTo("token");
    }

    @Test
    void anUnknownPaymentHasNoTimeline() {
        assertProblem(http.get("/admin-api/payments/" + UUID.randomUUID() + "/timeline", ADMIN), 404, "payment_not_found");
        assertProblem(http.get("/admin-api/payments/nope/timeline", ADMIN), 404, "payment_not_found");
        assertThat(http.get("/admin-api/payments/" + UUID.randomUUID() + "/timeline", Map.of()).statusCode())
                .isEqualTo(401);
    }

    @Test
    void theDeliveryListPutsProblemsFirstAndFiltersByMerchantEndpointTypeAndStatus() {
        // A merchant whose endpoint refuses every connection: its delivery fails, then dies (schedule of seconds).
        HttpResponse<String> created = http.post("/admin-api/merchants",
                Map.of("Authorization", "Bearer dev-admin", "Content-Type", "application/json"),
                "{\"webhook_url\":\"http://127.0.0.1:1/refused\",\"api_secret\":\"x\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode merchant = Json.parse(created.body());
        String merchantId = merchant.get("id").asString();
        String endpointId = merchant.get("webhook_endpoint_id").asString();
        String id = Json.parse(http.post("/v1/payments", Map.of("X-API-Key", merchant.get("api_key").asString(),
                "Content-Type", "application/json"), cardBody("4242424242424242", "dead")).body())
                .get("payment_id").asString();
        String healthy = paid("4242424242424242", "healthy");
        await().atMost(Duration.ofSeconds(90)).until(() -> deliveries("merchant_id=" + merchantId + "&status=dead").size() == 1
                && delivered(timeline(healthy), "payment.approved"));

        JsonNode dead = deliveries("merchant_id=" + merchantId).get(0);
        assertThat(dead.get("status").asString()).isEqualTo("dead");
        assertThat(dead.get("endpoint_id").asString()).isEqualTo(endpointId);
        assertThat(dead.get("event_type").asString()).isEqualTo("payment.approved");
        assertThat(dead.get("url").asString()).isEqualTo("http://127.0.0.1:1/refused");
        assertThat(deliveries("endpoint_id=" + endpointId + "&event_type=payment.approved")).hasSize(1);
        assertThat(deliveries("endpoint_id=" + endpointId + "&status=delivered")).isEmpty();
        assertThat(deliveries("merchant_id=" + DEMO_MERCHANT + "&status=dead").valueStream()
                .noneMatch(d -> d.get("merchant_id").asString().equals(merchantId))).isTrue();

        // Dead deliveries come first, then failing ones, then every other, across all merchants.
        List<Integer> ranks = new ArrayList<>();
        deliveries("limit=200").forEach(d -> ranks.add(d.get("status").asString().equals("dead") ? 0
                : d.get("failing").asBoolean() ? 1 : 2));
        assertThat(ranks).contains(0).isSorted();
        // Paged by offset, the same list: each rank is read on its own up to the page's end (WebhookHistory), so
        // pages that cross from dead to failing to the rest must join up. Enough deliveries for five pages of five
        // behind the dead one; retried until no delivery changed rank between the requests (others may still move).
        List<String> more = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            more.add(paid("4242424242424242", "page-" + i));
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> more.stream().allMatch(p -> delivered(timeline(p), "payment.approved")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<String> whole = ids(deliveries("limit=25"));
            List<String> paged = new ArrayList<>();
            for (int offset = 0; offset < 25; offset += 5) {
                paged.addAll(ids(deliveries("limit=5&offset=" + offset)));
            }
            assertThat(paged).isEqualTo(whole);
        });
        JsonNode refused = dead.get("last_attempt");
        assertThat(refused.get("status_code").isNull()).as("no answer from a refused connection").isTrue();
        assertThat(refused.get("error").asString()).isNotBlank();
        assertThat(refused.get("response_excerpt").isNull()).isTrue();

        JsonNode bad = assertProblem(http.get("/admin-api/webhook-deliveries?status=lost&merchant_id=x&limit=0", ADMIN),
                422, "validation_failed");
        assertThat(bad.get("errors").valueStream().map(e -> e.get("field").asString()))
                .containsExactlyInAnyOrder("status", "merchant_id", "limit");
        assertThat(http.get("/api/admin-api/webhook-deliveries?limit=1", ADMIN).statusCode()).isEqualTo(200);
        assertThat(id).isNotBlank();
    }

    @Test
    void aDeliveryShowsEveryAttemptWithItsStatusLatencyAndTheFirstBytesOfTheAnswer() {
        // The built-in receiver refuses with 500 and a small JSON body, every time: the delivery fails, then dies.
        String receiver = "console-" + UUID.randomUUID();
        HttpResponse<String> faults = http.post("/simulators/merchant/webhook/" + receiver + "/faults",
                Map.of("Content-Type", "application/json"), "{\"fail_next\":1000,\"fail_status\":500}");
        assertThat(faults.statusCode()).as(faults.body()).isEqualTo(200);
        HttpResponse<String> created = http.post("/admin-api/merchants",
                Map.of("Authorization", "Bearer dev-admin", "Content-Type", "application/json"),
                "{\"webhook_url\":\"http://127.0.0.1:" + port + "/simulators/merchant/webhook/" + receiver
                        + "\",\"api_secret\":\"x\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode merchant = Json.parse(created.body());
        String merchantId = merchant.get("id").asString();
        assertThat(http.post("/v1/payments", Map.of("X-API-Key", merchant.get("api_key").asString(),
                "Content-Type", "application/json"), cardBody("4242424242424242", "excerpt")).statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(90)).until(() -> deliveries("merchant_id=" + merchantId + "&status=dead").size() == 1);

        JsonNode listed = deliveries("merchant_id=" + merchantId).get(0);
        String deliveryId = listed.get("id").asString();
        for (String prefix : List.of("/admin-api", "/api/admin-api")) {
            HttpResponse<String> answer = http.get(prefix + "/webhook-deliveries/" + deliveryId, ADMIN);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode detail = Json.parse(answer.body());
            assertThat(detail.get("delivery").get("id").asString()).isEqualTo(deliveryId);
            assertThat(detail.get("delivery").get("status").asString()).isEqualTo("dead");
            JsonNode attempts = detail.get("attempts");
            assertThat(attempts.size()).as("every attempt of the schedule").isGreaterThan(1);
            long previous = 0;
            for (JsonNode attempt : attempts) {
                assertThat(attempt.get("status_code").asInt()).isEqualTo(500);
                assertThat(attempt.get("latency_ms").asInt()).isGreaterThanOrEqualTo(0);
                assertThat(attempt.get("response_excerpt").asString()).isEqualTo("{\"received\":false}");
                assertThat(attempt.get("at").asLong()).isGreaterThanOrEqualTo(previous);
                previous = attempt.get("at").asLong();
            }
            assertThat(detail.get("delivery").get("last_attempt")).isEqualTo(attempts.get(attempts.size() - 1));
            assertThat(listed.get("last_attempt")).isEqualTo(attempts.get(attempts.size() - 1));
        }
        assertProblem(http.get("/admin-api/webhook-deliveries/" + UUID.randomUUID(), ADMIN), 404,
                "webhook_delivery_not_found");
        assertProblem(http.get("/admin-api/webhook-deliveries/nope", ADMIN), 404, "webhook_delivery_not_found");
    }

    @Test
    void theEventListFiltersByTypeMerchantAndTimeAndPagesByKeyset() {
        String id = paid("4242424242424242", "events");
        await().atMost(Duration.ofSeconds(60)).until(() -> events("merchant_id=" + DEMO_MERCHANT + "&type=payment.approved")
                .get("items").valueStream().anyMatch(e -> e.get("object_id").asString().equals(id)));
        long now = Instant.now().getEpochSecond();
        JsonNode page = events("merchant_id=" + DEMO_MERCHANT + "&type=payment.approved&from=" + (now - 600)
                + "&to=" + (now + 600) + "&limit=1");
        assertThat(page.get("items")).hasSize(1);
        JsonNode newest = page.get("items").get(0);
        assertThat(newest.get("type").asString()).isEqualTo("payment.approved");
        assertThat(newest.get("data").get("status").asString()).isEqualTo("approved");
        JsonNode next = events("merchant_id=" + DEMO_MERCHANT + "&limit=1&starting_after=" + newest.get("id").asString());
        if (next.get("items").size() == 1) {
            assertThat(next.get("items").get(0).get("created_at").asLong()).isLessThanOrEqualTo(newest.get("created_at").asLong());
            assertThat(next.get("items").get(0).get("id").asString()).isNotEqualTo(newest.get("id").asString());
        }
        assertThat(events("type=payment.approved&to=" + (now - 86_400)).get("items")).isEmpty();
        JsonNode bad = assertProblem(http.get("/admin-api/events?type=payment.lost&from=yesterday", ADMIN), 422,
                "validation_failed");
        assertThat(bad.get("errors").valueStream().map(e -> e.get("field").asString()))
                .containsExactlyInAnyOrder("type", "from");
    }

    private String paid(String card, String orderId) {
        HttpResponse<String> created = http.createPayment("/v1/payments", null, cardBody(card, orderId));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Json.parse(created.body()).get("payment_id").asString();
    }

    private JsonNode timeline(String paymentId) {
        HttpResponse<String> answer = http.get("/admin-api/payments/" + paymentId + "/timeline", ADMIN);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.parse(answer.body());
    }

    private JsonNode deliveries(String query) {
        HttpResponse<String> answer = http.get("/admin-api/webhook-deliveries?" + query, ADMIN);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.parse(answer.body()).get("items");
    }

    private static List<String> ids(JsonNode items) {
        return items.valueStream().map(d -> d.get("id").asString()).toList();
    }

    private JsonNode events(String query) {
        HttpResponse<String> answer = http.get("/admin-api/events?" + query, ADMIN);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.parse(answer.body());
    }

    private static List<String> types(JsonNode timeline) {
        return timeline.get("entries").valueStream().map(e -> e.get("type").asString()).toList();
    }

    private static List<JsonNode> entries(JsonNode timeline, String type) {
        return timeline.get("entries").valueStream().filter(e -> e.get("type").asString().equals(type)).toList();
    }

    private static boolean delivered(JsonNode timeline, String eventType) {
        return entries(timeline, "webhook_delivery").stream().anyMatch(d ->
                d.get("event_type").asString().equals(eventType) && d.get("status").asString().equals("delivered"));
    }

    private static int indexOf(JsonNode timeline, java.util.function.Predicate<JsonNode> test) {
        for (int i = 0; i < timeline.get("entries").size(); i++) {
            if (test.test(timeline.get("entries").get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static void assertInTimeOrder(JsonNode timeline) {
        Instant previous = Instant.MIN;
        for (JsonNode entry : timeline.get("entries")) {
            Instant at = Instant.parse(entry.get("at").asString());
            assertThat(at).isAfterOrEqualTo(previous);
            assertThat(entry.get("at").asString()).endsWith("Z");
            previous = at;
        }
    }

    private HttpResponse<String> patch(String path, String body) {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .header("Authorization", "Bearer dev-admin").header("Content-Type", "application/json")
                            .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
