package dev.payrail.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.payrail.platform.GroupCommit;
import dev.payrail.support.Http;
import dev.payrail.support.IntegrationTest;
import dev.payrail.support.Json;
import dev.payrail.support.PreparedPlans;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Webhooks end to end through the real pieces: a payment through the acquirer simulators, its event on Kafka, the
 * deliveries derived from it, the sender, and the built-in merchant receiver, which verifies both signatures and
 * drops duplicates. The test context's schedule is seconds long (see {@link IntegrationTest}).
 */
@IntegrationTest
class WebhooksIT {

    static final Duration PATIENCE = Duration.ofSeconds(90);
    static final Map<String, String> ADMIN = Map.of("Authorization", "Bearer dev-admin", "Content-Type", "application/json");

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    WebhookEvents events;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    DataSource dataSource;

    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    /** A merchant made through the admin API whose first endpoint is the named receiver. */
    record TestMerchant(String id, String apiKey, String apiSecret, String endpointId, String secret, String receiver) {}

    @Test
    void readmeDemoFlowDeliversASignedApprovalToTheBuiltInReceiver() {
        UUID paymentId = pay(Http.DEMO_KEY, "4242424242424242");

        JsonNode received = await().atMost(PATIENCE).until(() -> find(log("default"), paymentId, "payment.approved"),
                r -> r != null);
        assertThat(received.get("standard_signature_valid").asBoolean()).isTrue();
        assertThat(received.get("legacy_signature_valid").asBoolean()).isTrue();
        assertThat(received.get("duplicate").asBoolean()).isFalse();
        // Verified here too, independently of the receiver, with the secrets the README publishes.
        JsonNode headers = received.get("headers");
        byte[] body = received.get("body").asString().getBytes(StandardCharsets.UTF_8);
        assertThat(Signatures.verifyStandard(WebhookSetup.DEMO_ENDPOINT_SECRET, headers.get("webhook_signature").asString(),
                headers.get("webhook_id").asString(), Long.parseLong(headers.get("webhook_timestamp").asString()), body))
                .isTrue();
        assertThat(Signatures.verifyLegacy("secret", headers.get("x_signature").asString(), body)).isTrue();
        assertThat(Signatures.verifyLegacy("not-the-secret", headers.get("x_signature").asString(), body)).isFalse();

        JsonNode event = Json.parse(received.get("body").asString());
        assertThat(event.get("type").asString()).isEqualTo("payment.approved");
        assertThat(event.get("id").asString()).isEqualTo(headers.get("webhook_id").asString());
        JsonNode data = event.get("data");
        for (String flat : List.of("payment_id", "merchant_id", "amount", "currency", "status", "created_at")) {
            assertThat(data.has(flat)).as(flat).isTrue();
        }
        assertThat(data.get("status").asString()).isEqualTo("approved");
        assertThat(data.get("amount").asLong()).isEqualTo(4200);
        assertThat(data.get("acquirer").asString()).isEqualTo("alpha");
        assertThat(data.get("payment_method").get("last4").asString()).isEqualTo("4242");

        // The events API has the same event, for the merchant only.
        String eventId = event.get("id").asString();
        HttpResponse<String> one = http.get("/v1/events/" + eventId, Map.of("X-API-Key", Http.DEMO_KEY));
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(Json.parse(one.body()).get("data").get("payment_id").asString()).isEqualTo(paymentId.toString());
        TestMerchant other = merchant("other-" + suffix());
        assertThat(http.get("/v1/events/" + eventId, Map.of("X-API-Key", other.apiKey())).statusCode()).isEqualTo(404);
    }

    @Test
    void eventsApiPagesNewestFirstAndFilters() {
        TestMerchant m = merchant("pages-" + suffix());
        List<UUID> paid = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            paid.add(pay(m.apiKey(), "4242424242424242"));
        }
        await().atMost(PATIENCE).until(() -> eventCount(m.id()) == 6); // created + approved each
        JsonNode first = getJson("/v1/events?limit=2&type=payment.approved", m.apiKey());
        assertThat(first.get("data")).hasSize(2);
        assertThat(first.get("has_more").asBoolean()).isTrue();
        JsonNode second = getJson("/v1/events?limit=2&type=payment.approved&starting_after="
                + first.get("next_starting_after").asString(), m.apiKey());
        assertThat(second.get("data")).hasSize(1);
        assertThat(second.get("has_more").asBoolean()).isFalse();
        Set<String> payments = new HashSet<>();
        List<Long> times = new ArrayList<>();
        for (JsonNode page : List.of(first, second)) {
            for (JsonNode e : page.get("data")) {
                assertThat(e.get("type").asString()).isEqualTo("payment.approved");
                payments.add(e.get("data").get("payment_id").asString());
                times.add(e.get("created_at").asLong());
            }
        }
        assertThat(payments).containsExactlyInAnyOrderElementsOf(paid.stream().map(UUID::toString).toList());
        assertThat(times).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        long future = Instant.now().plusSeconds(3600).getEpochSecond();
        assertThat(getJson("/v1/events?created_from=" + future, m.apiKey()).get("data")).isEmpty();
        assertThat(http.get("/v1/events?type=nope", Map.of("X-API-Key", m.apiKey())).statusCode()).isEqualTo(400);
    }

    @Test
    void endpointDownForAWhileThenBackGetsEveryEventOnce() {
        TestMerchant m = merchant("flaky-" + suffix());
        faults(m.receiver(), "{\"down_seconds\":3}");
        List<UUID> paid = payMany(m.apiKey(), 8);

        await().atMost(PATIENCE).until(() -> deliveries(m.endpointId(), "delivered") == 8);
        JsonNode log = log(m.receiver());
        assertThat(log.get("accepted").asLong()).isEqualTo(8);
        assertThat(log.get("refused").asLong()).as("it was down at first").isPositive();
        Set<String> acceptedIds = new HashSet<>();
        for (JsonNode r : log.get("received")) {
            if (r.get("answered").asInt() == 200 && !r.get("duplicate").asBoolean()) {
                acceptedIds.add(r.get("webhook_id").asString());
            }
        }
        List<String> approvals = jdbc.sql("select event_id::text from webhook_events where merchant_id = ?::uuid and event_type = 'payment.approved'")
                .param(m.id()).query(String.class).list();
        assertThat(approvals).hasSize(paid.size());
        assertThat(acceptedIds).containsExactlyInAnyOrderElementsOf(approvals);
        assertThat(deliveries(m.endpointId(), "pending") + deliveries(m.endpointId(), "dead")).isZero();
    }

    @Test
    void scheduleExhaustedEndsDeadDisablesTheEndpointAndRedeliveryWorks() {
        TestMerchant m = merchant("dead-" + suffix());
        faults(m.receiver(), "{\"fail_next\":1000000,\"fail_status\":500}");
        payMany(m.apiKey(), 2);

        // The first to exhaust the schedule ends dead and, as the endpoint never succeeded meanwhile, disables it;
        // the other waits (pending) for the endpoint to be enabled again.
        await().atMost(PATIENCE).until(() -> !endpoints(m).get(0).get("enabled").asBoolean());
        assertThat(endpoints(m).get(0).get("disabled_reason").asString()).startsWith("failing");
        assertThat(deliveries(m.endpointId(), "dead")).isPositive();
        assertThat(deliveries(m.endpointId(), "dead") + deliveries(m.endpointId(), "pending")).isEqualTo(2);
        assertThat(jdbc.sql("""
                select count(*) from webhook_attempts a join webhook_deliveries d using (delivery_id)
                where d.endpoint_id = ?::uuid and d.status = 'dead' group by d.delivery_id""")
                .param(m.endpointId()).query(Long.class).list()).as("six attempts each").containsOnly(6L);
        assertThat(log(m.receiver()).get("accepted").asLong()).isZero();

        faults(m.receiver(), "{\"fail_next\":0}");
        HttpResponse<String> redeliver = http.post("/api/admin-api/merchants/" + m.id() + "/webhook-endpoints/"
                + m.endpointId() + "/redeliver-dead", ADMIN, "");
        assertThat(redeliver.statusCode()).isEqualTo(202);
        assertThat(Json.parse(redeliver.body()).get("queued").asInt()).isPositive();
        await().atMost(PATIENCE).until(() -> deliveries(m.endpointId(), "delivered") == 2);
        assertThat(log(m.receiver()).get("accepted").asLong()).isEqualTo(2);
        assertThat(endpoints(m).get(0).get("enabled").asBoolean()).isTrue();
    }

    @Test
    void goneDisablesTheEndpointAtOnce() {
        TestMerchant m = merchant("gone-" + suffix());
        faults(m.receiver(), "{\"fail_next\":1000,\"fail_status\":410}");
        pay(m.apiKey(), "4242424242424242");
        await().atMost(PATIENCE).until(() -> deliveries(m.endpointId(), "dead") == 1);
        assertThat(endpoints(m).get(0).get("enabled").asBoolean()).isFalse();
        assertThat(endpoints(m).get(0).get("disabled_reason").asString()).startsWith("gone");
    }

    @Test
    void aSlowEndpointDoesNotDelayAHealthyOne() {
        TestMerchant m = merchant("slow-" + suffix());
        // The first endpoint never answers within the time-out (4 s in tests)...
        faults(m.receiver(), "{\"slow_ms\":20000}");
        // ...the second answers at once.
        String healthy = "healthy-" + suffix();
        HttpResponse<String> second = http.post("/admin-api/merchants/" + m.id() + "/webhook-endpoints", ADMIN,
                "{\"url\":\"" + receiverUrl(healthy) + "\"}");
        assertThat(second.statusCode()).as(second.body()).isEqualTo(201);

        payMany(m.apiKey(), 20);
        await().atMost(PATIENCE).until(() -> log(healthy).get("accepted").asLong() == 20);
        // By the time the healthy endpoint had all 20, the slow one had finished only a few (4 at a time, 4 s
        // each): had the healthy deliveries waited behind the slow ones, it would have finished 20 first.
        long slowAttemptsFinished = jdbc.sql("select count(*) from webhook_attempts a join webhook_deliveries d using (delivery_id) where d.endpoint_id = ?::uuid")
                .param(m.endpointId()).query(Long.class).single();
        assertThat(slowAttemptsFinished).isLessThan(20);
        assertThat(deliveries(m.endpointId(), "delivered")).isZero();
        faults(m.receiver(), "{\"slow_ms\":0}");
    }

    @Test
    void aDeliveryClaimedByASenderThatDiedIsSentAfterItsLease() {
        TestMerchant m = merchant("crash-" + suffix());
        UUID eventId = UUID.randomUUID();
        // The state a sender leaves when it is killed mid-send: claimed (leased, due only at the lease's end),
        // attempt not recorded. Written in one transaction so no live sender can take it first.
        tx.executeWithoutResult(status -> {
            events.record(new WebhookEvents.Event(eventId, UUID.fromString(m.id()), "payment.approved",
                    UUID.randomUUID(), Instant.now(), "{\"merchant_id\":\"" + m.id() + "\",\"status\":\"approved\"}"));
            jdbc.sql("update webhook_deliveries set lease_id = ?, next_attempt_at = ? where event_id = ?")
                    .params(UUID.randomUUID(), Timestamp.from(Instant.now().plusSeconds(3)), eventId).update();
        });
        await().atMost(PATIENCE).until(() -> deliveries(m.endpointId(), "delivered") == 1);
        JsonNode log = log(m.receiver());
        assertThat(log.get("accepted").asLong()).isEqualTo(1);
        assertThat(log.get("received").get(0).get("webhook_id").asString()).isEqualTo(eventId.toString());
    }

    @Test
    void realClaimsNeverOverlapAndAnExpiredLeaseIsClaimedAgain(@Autowired Deliveries deliveries) throws Exception {
        TestMerchant m = merchant("lease-" + suffix());
        // Keep the live sender away from this endpoint by disabling it while its delivery is created (it waits)...
        patchEndpoint(m, "{\"enabled\":false}");
        UUID eventId = UUID.randomUUID();
        UUID endpointId = UUID.fromString(m.endpointId());
        tx.executeWithoutResult(status -> {
            events.record(new WebhookEvents.Event(eventId, UUID.fromString(m.id()), "payment.approved",
                    UUID.randomUUID(), Instant.now(), "{\"merchant_id\":\"" + m.id() + "\"}"));
        });
        // ...then claim in one transaction that also turns it on, as a sender that dies right after.
        List<Deliveries.Claimed> claimed = tx.execute(status -> {
            jdbc.sql("update webhook_endpoints set enabled = true where endpoint_id = ?").param(endpointId).update();
            return deliveries.claim(100, 16, Instant.now().plusSeconds(2), List.copyOf(otherEndpoints(endpointId)));
        });
        assertThat(claimed).extracting(Deliveries.Claimed::eventId).contains(eventId);
        // A second claim while the lease runs does not get it.
        assertThat(deliveries.claim(100, 16, Instant.now().plusSeconds(2), otherEndpoints(endpointId))).isEmpty();
        // The claimer never finishes; after the lease the live sender delivers it, once.
        await().atMost(PATIENCE).until(() -> deliveries(m.endpointId(), "delivered") == 1);
        assertThat(log(m.receiver()).get("accepted").asLong()).isEqualTo(1);

        // The first claimer comes back late with a 2xx, recorded in one batch with a claim that still holds its
        // lease: both attempts are kept, but only the live claim finishes its delivery.
        Deliveries.Claimed late = claimed.stream().filter(c -> c.eventId().equals(eventId)).findFirst().orElseThrow();
        patchEndpoint(m, "{\"enabled\":false}");
        UUID secondEvent = UUID.randomUUID();
        tx.executeWithoutResult(status -> events.record(new WebhookEvents.Event(secondEvent, UUID.fromString(m.id()),
                "payment.approved", UUID.randomUUID(), Instant.now(), "{\"merchant_id\":\"" + m.id() + "\"}")));
        Deliveries.Claimed live = tx.execute(status -> {
            jdbc.sql("update webhook_endpoints set enabled = true where endpoint_id = ?").param(endpointId).update();
            return deliveries.claim(100, 16, Instant.now().plusSeconds(60), List.copyOf(otherEndpoints(endpointId)));
        }).stream().filter(c -> c.eventId().equals(secondEvent)).findFirst().orElseThrow();

        Set<Deliveries.Claim> finished = GroupCommit.inTransaction(dataSource, connection ->
                Deliveries.recordSuccesses(connection, List.of(success(late), success(live))));

        assertThat(finished).containsExactly(Deliveries.Claim.of(live));
        assertThat(deliveries(m.endpointId(), "delivered")).isEqualTo(2);
        assertThat(jdbc.sql("select attempts from webhook_deliveries where event_id = ?").param(eventId)
                .query(Integer.class).single()).isEqualTo(1); // the live sender's attempt only
        assertThat(jdbc.sql("select count(*) from webhook_attempts where delivery_id = ?").param(late.deliveryId())
                .query(Long.class).single()).isEqualTo(2); // but the late 2xx is on record
    }

    @Test
    void aClaimTakesAtMostItsShareOfOneEndpointOldestFirst(@Autowired Deliveries deliveries) {
        TestMerchant m = merchant("share-" + suffix());
        patchEndpoint(m, "{\"enabled\":false}");
        UUID endpointId = UUID.fromString(m.endpointId());
        List<UUID> eventIds = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            UUID eventId = UUID.randomUUID();
            eventIds.add(eventId);
            tx.executeWithoutResult(status -> events.record(new WebhookEvents.Event(eventId, UUID.fromString(m.id()),
                    "payment.approved", UUID.randomUUID(), Instant.now(), "{\"merchant_id\":\"" + m.id() + "\"}")));
        }
        jdbc.sql("update webhook_deliveries d set next_attempt_at = now() - (e.n * interval '1 second') "
                        + "from (select event_id, row_number() over (order by created_at) as n from webhook_events "
                        + "where event_id = any (?)) e where d.event_id = e.event_id")
                .param(eventIds.toArray(UUID[]::new)).update(); // the first event's delivery is due the least long

        List<Deliveries.Claimed> claimed = tx.execute(status -> {
            jdbc.sql("update webhook_endpoints set enabled = true where endpoint_id = ?").param(endpointId).update();
            return deliveries.claim(100, 2, Instant.now().plusSeconds(60), List.copyOf(otherEndpoints(endpointId)));
        });

        assertThat(claimed).extracting(Deliveries.Claimed::eventId).containsExactlyInAnyOrder(eventIds.get(4),
                eventIds.get(3));
        assertThat(claimed).allSatisfy(c -> assertThat(c.leaseEnd()).isAfter(Instant.now().plusSeconds(30)));
        await().atMost(PATIENCE).until(() -> deliveries(m.endpointId(), "delivered") == 3); // the rest: the live sender
    }

    /**
     * The success writer's batch statement is planned once per connection (GroupCommit.onGenericPlans): with the
     * default plan_cache_mode PostgreSQL planned it afresh for every call (bench/statements.sh: plans / call 1.00),
     * since a bound array's length is unknown to a generic plan. The setting ends with the batch's transaction.
     */
    @Test
    void recordingSuccessesRunsOnTheGenericPlanAndLeavesTheConnectionAsItWas(@Autowired Deliveries deliveries)
            throws Exception {
        TestMerchant m = merchant("plans-" + suffix());
        patchEndpoint(m, "{\"enabled\":false}"); // the live sender waits while this test claims
        UUID endpointId = UUID.fromString(m.endpointId());
        for (int i = 0; i < 6; i++) {
            tx.executeWithoutResult(status -> events.record(new WebhookEvents.Event(UUID.randomUUID(),
                    UUID.fromString(m.id()), "payment.approved", UUID.randomUUID(), Instant.now(),
                    "{\"merchant_id\":\"" + m.id() + "\"}")));
        }
        List<Deliveries.Claimed> claimed = tx.execute(status -> {
            jdbc.sql("update webhook_endpoints set enabled = true where endpoint_id = ?").param(endpointId).update();
            return deliveries.claim(100, 16, Instant.now().plusSeconds(60), List.copyOf(otherEndpoints(endpointId)));
        });
        assertThat(claimed).hasSize(6);
        PreparedPlans.onServerPreparedStatements(dataSource, connection -> {
            // The pooled connection may have run the statement already.
            PreparedPlans.Plans before = PreparedPlans.of(connection, "with attempts as%");
            connection.setAutoCommit(false);
            for (Deliveries.Claimed claim : claimed) {
                assertThat(Deliveries.recordSuccesses(connection, List.of(success(claim))))
                        .containsExactly(Deliveries.Claim.of(claim));
                connection.commit();
            }
            connection.setAutoCommit(true);
            assertThat(PreparedPlans.of(connection, "with attempts as%").since(before))
                    .as("generic and custom plans").containsExactly(6L, 0L);
            assertThat(PreparedPlans.cacheMode(connection)).isEqualTo("auto");
        });
        assertThat(deliveries(m.endpointId(), "delivered")).isEqualTo(6);
    }

    private static Deliveries.Success success(Deliveries.Claimed claim) {
        return new Deliveries.Success(claim, UUID.randomUUID(), Instant.now(), 200, 3, "ok", Instant.now(),
                new CompletableFuture<>());
    }

    @Test
    void rotationSendsBothSignaturesAndResendWebhookQueuesAgain() {
        TestMerchant m = merchant("rotate-" + suffix());
        UUID paymentId = pay(m.apiKey(), "4242424242424242");
        await().atMost(PATIENCE).until(() -> log(m.receiver()).get("accepted").asLong() == 1);

        HttpResponse<String> rotated = http.post("/v1/webhook_endpoints/" + m.endpointId() + "/rotate_secret",
                Map.of("X-API-Key", m.apiKey()), "");
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        String newSecret = Json.parse(rotated.body()).get("secret").asString();
        assertThat(newSecret).startsWith("whsec_").isNotEqualTo(m.secret());

        HttpResponse<String> resend = http.post("/admin-api/payments/" + paymentId + "/resend-webhook", ADMIN, "");
        assertThat(resend.statusCode()).isEqualTo(202);
        assertThat(Json.parse(resend.body()).get("status").asString()).isEqualTo("queued");
        JsonNode again = await().atMost(PATIENCE).until(() -> {
            JsonNode latest = log(m.receiver()).get("received").get(0);
            return latest.get("duplicate").asBoolean() ? latest : null;
        }, r -> r != null);
        JsonNode headers = again.get("headers");
        String signature = headers.get("webhook_signature").asString();
        assertThat(signature.split(" ")).hasSize(2);
        byte[] body = again.get("body").asString().getBytes(StandardCharsets.UTF_8);
        long ts = Long.parseLong(headers.get("webhook_timestamp").asString());
        String id = headers.get("webhook_id").asString();
        assertThat(Signatures.verifyStandard(newSecret, signature, id, ts, body)).isTrue();
        assertThat(Signatures.verifyStandard(m.secret(), signature, id, ts, body)).isTrue();
        assertThat(http.post("/api/admin-api/payments/" + UUID.randomUUID() + "/resend-webhook", ADMIN, "").statusCode())
                .isEqualTo(404);
    }

    @Test
    void merchantManagesItsEndpoints() {
        TestMerchant m = merchant("crud-" + suffix());
        Map<String, String> key = Map.of("X-API-Key", m.apiKey(), "Content-Type", "application/json");
        HttpResponse<String> created = http.post("/v1/webhook_endpoints", key,
                "{\"url\":\"" + receiverUrl("crud2-" + suffix()) + "\",\"event_types\":[\"payment.created\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode endpoint = Json.parse(created.body());
        assertThat(endpoint.get("secret").asString()).matches("whsec_[A-Za-z0-9+/=]{44}");
        String id = endpoint.get("id").asString();
        JsonNode listed = getJson("/v1/webhook_endpoints", m.apiKey());
        assertThat(listed.get("data")).hasSize(2);
        assertThat(listed.toString()).doesNotContain(endpoint.get("secret").asString());
        HttpResponse<String> bad = http.post("/v1/webhook_endpoints", key, "{\"url\":\"ftp://x\"}");
        assertThat(bad.statusCode()).isEqualTo(422);
        HttpResponse<String> badType = http.post("/v1/webhook_endpoints", key,
                "{\"url\":\"http://127.0.0.1/x\",\"event_types\":[\"nope\"]}");
        assertThat(badType.statusCode()).isEqualTo(422);
        assertThat(patch("/v1/webhook_endpoints/" + id, m.apiKey(), "{\"enabled\":false}").statusCode()).isEqualTo(200);
        TestMerchant other = merchant("crud3-" + suffix());
        assertThat(http.get("/v1/webhook_endpoints/" + id, Map.of("X-API-Key", other.apiKey())).statusCode()).isEqualTo(404);
        assertThat(delete("/v1/webhook_endpoints/" + id, other.apiKey()).statusCode()).isEqualTo(404);
        assertThat(delete("/v1/webhook_endpoints/" + id, m.apiKey()).statusCode()).isEqualTo(204);
        assertThat(getJson("/v1/webhook_endpoints", m.apiKey()).get("data")).hasSize(1);
    }

    @Test
    void refundEventsBecomeWebhooksWithTheRefundAsDataOnceEvenWhenReplayed(@Autowired KafkaTemplate<String, String> kafka)
            throws Exception {
        TestMerchant m = merchant("refund-" + suffix());
        UUID paymentId = pay(m.apiKey(), "4242424242424242");
        await().atMost(PATIENCE).until(() -> log(m.receiver()).get("accepted").asLong() == 1);

        // A refund event as the refund module's records serialize in the envelope (snake_case fields).
        UUID refundId = UUID.randomUUID();
        String succeeded = refundEnvelope(UUID.randomUUID(), "refund.succeeded", paymentId, refundId, m.id());
        kafka.send("payments", paymentId.toString(), succeeded).get(30, TimeUnit.SECONDS);
        JsonNode received = await().atMost(PATIENCE).until(() -> {
            for (JsonNode r : log(m.receiver()).get("received")) {
                if ("refund.succeeded".equals(r.path("type").asString(""))) {
                    return r;
                }
            }
            return null;
        }, r -> r != null);
        assertThat(received.get("standard_signature_valid").asBoolean()).isTrue();
        assertThat(received.get("legacy_signature_valid").asBoolean()).isTrue();
        JsonNode data = Json.parse(received.get("body").asString()).get("data");
        assertThat(data.get("refund_id").asString()).isEqualTo(refundId.toString());
        assertThat(data.get("payment_id").asString()).isEqualTo(paymentId.toString());
        assertThat(data.get("amount").asLong()).isEqualTo(1000);

        // The same record again (Kafka delivers at least once), then a later one on the same key: once the later
        // one has arrived, the replay has been handled too, and made no second delivery.
        kafka.send("payments", paymentId.toString(), succeeded).get(30, TimeUnit.SECONDS);
        kafka.send("payments", paymentId.toString(),
                refundEnvelope(UUID.randomUUID(), "refund.failed", paymentId, UUID.randomUUID(), m.id()))
                .get(30, TimeUnit.SECONDS);
        await().atMost(PATIENCE).until(() -> log(m.receiver()).get("accepted").asLong() == 3);
        assertThat(log(m.receiver()).get("duplicates").asLong()).isZero();
        assertThat(jdbc.sql("select count(*) from webhook_deliveries where endpoint_id = ?::uuid").param(m.endpointId())
                .query(Long.class).single()).isEqualTo(3);

        // An operator redelivers one delivery: it arrives again with the same webhook-id, so the receiver drops it.
        String deliveryId = jdbc.sql("""
                select d.delivery_id::text from webhook_deliveries d join webhook_events e using (event_id)
                where d.endpoint_id = ?::uuid and e.event_type = 'refund.succeeded'""")
                .param(m.endpointId()).query(String.class).single();
        assertThat(http.post("/admin-api/webhook-deliveries/" + deliveryId + "/redeliver", ADMIN, "").statusCode())
                .isEqualTo(202);
        await().atMost(PATIENCE).until(() -> log(m.receiver()).get("duplicates").asLong() == 1);
    }

    @Test
    void endpointsMadeByTheMigrationGetASecretAtStartUp(@Autowired WebhookEndpoints endpoints) {
        TestMerchant m = merchant("migrated-" + suffix());
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into webhook_endpoints (endpoint_id, merchant_id, url, created_at, updated_at) values (?, ?::uuid, 'https://shop.example/hooks', now(), now())")
                .params(id, m.id()).update();
        assertThat(endpoints.signingSecrets(id)).isEmpty();
        assertThat(endpoints.fillMissingSecrets()).isPositive();
        assertThat(endpoints.signingSecrets(id)).singleElement().asString().startsWith("whsec_");
    }

    static String refundEnvelope(UUID eventId, String type, UUID paymentId, UUID refundId, String merchantId) {
        return """
                {"event_id":"%s","event_type":"%s","event_version":1,"aggregate_id":"%s","occurred_at":"%s",
                 "data":{"refund_id":"%s","payment_id":"%s","merchant_id":"%s","amount":1000,"currency":"EUR",
                         "reason":"requested_by_customer","status":"%s","failure_code":null,
                         "created_at":"%s","settled_at":"%s"}}"""
                .formatted(eventId, type, paymentId, Instant.now(), refundId, paymentId, merchantId,
                        type.substring("refund.".length()), Instant.now(), Instant.now());
    }

    @Test
    void eventsWhileAnEndpointIsOffAreDeliveredWhenItIsOnAgain() {
        TestMerchant m = merchant("off-" + suffix());
        patchEndpoint(m, "{\"enabled\":false}");
        payMany(m.apiKey(), 3);
        await().atMost(PATIENCE).until(() -> deliveries(m.endpointId(), "pending") == 3);
        assertThat(log(m.receiver()).get("accepted").asLong()).isZero();
        patchEndpoint(m, "{\"enabled\":true}");
        await().atMost(PATIENCE).until(() -> deliveries(m.endpointId(), "delivered") == 3);
        assertThat(log(m.receiver()).get("accepted").asLong()).isEqualTo(3);
    }

    @Test
    void anEndpointGetsNoEventFromBeforeItExisted() {
        TestMerchant m = merchant("history-" + suffix());
        UUID old = UUID.randomUUID();
        Integer made = tx.execute(status -> events.record(new WebhookEvents.Event(old, UUID.fromString(m.id()),
                "payment.approved", UUID.randomUUID(), Instant.now().minus(Duration.ofHours(1)),
                "{\"merchant_id\":\"" + m.id() + "\"}")));
        assertThat(made).isZero();
        assertThat(events.find(UUID.fromString(m.id()), old)).as("still in the events API").isPresent();
    }

    @Test
    void aPollIsRecordedInOneGoAndAReplayedOrRepeatedEventGetsNoSecondDelivery() {
        TestMerchant a = merchant("poll-a-" + suffix());
        TestMerchant b = merchant("poll-b-" + suffix());
        patchEndpoint(a, "{\"enabled\":false}"); // the deliveries stay pending, to be counted
        patchEndpoint(b, "{\"enabled\":false}");
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID created = UUID.randomUUID();
        WebhookEvents.Event toA = event(first, a, "payment.approved");
        List<WebhookEvents.Event> poll = List.of(toA, event(second, b, "payment.declined"), toA,
                event(created, a, "payment.created"));
        Integer made = tx.execute(status -> events.recordAll(poll));
        assertThat(made).as("one per (event, subscribed endpoint): the repeat and payment.created make none")
                .isEqualTo(2);
        assertThat(deliveries(a.endpointId(), "pending")).isEqualTo(1);
        assertThat(deliveries(b.endpointId(), "pending")).isEqualTo(1);
        assertThat(events.find(UUID.fromString(a.id()), created)).as("still in the events API").isPresent();
        assertThat(events.find(UUID.fromString(b.id()), first)).as("another merchant's event").isEmpty();
        assertThat(Json.parse(events.find(UUID.fromString(a.id()), first).orElseThrow().data()).get("note")
                .asString()).as("the data went through the array intact").isEqualTo("it's \"quoted\" {and} braced");
        // The same poll again (a crash before the offsets were committed): nothing new.
        Integer again = tx.execute(status -> events.recordAll(poll));
        assertThat(again).isZero();
        assertThat(deliveries(a.endpointId(), "pending")).isEqualTo(1);
    }

    private static WebhookEvents.Event event(UUID eventId, TestMerchant m, String type) {
        return new WebhookEvents.Event(eventId, UUID.fromString(m.id()), type, UUID.randomUUID(), Instant.now(),
                "{\"merchant_id\":\"" + m.id() + "\",\"note\":\"it's \\\"quoted\\\" {and} braced\"}");
    }

    // --- helpers ---

    TestMerchant merchant(String receiver) {
        HttpResponse<String> created = http.post("/admin-api/merchants", ADMIN,
                "{\"webhook_url\":\"" + receiverUrl(receiver) + "\",\"api_secret\":\"api-secret-" + receiver + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode m = Json.parse(created.body());
        assertThat(m.get("webhook_secret").asString()).startsWith("whsec_");
        return new TestMerchant(m.get("id").asString(), m.get("api_key").asString(), "api-secret-" + receiver,
                m.get("webhook_endpoint_id").asString(), m.get("webhook_secret").asString(), receiver);
    }

    String receiverUrl(String receiver) {
        return "http://127.0.0.1:" + port + "/simulators/merchant/webhook/" + receiver;
    }

    UUID pay(String apiKey, String card) {
        HttpResponse<String> created = http.post("/v1/payments", Map.of("X-API-Key", apiKey,
                "Content-Type", "application/json", "Idempotency-Key", "wh-" + UUID.randomUUID()), """
                {"amount":4200,"currency":"EUR","order_id":"webhook-test",
                 "payment_method":{"type":"card","number":"%s","exp_month":12,"exp_year":2034,"cvc":"123"}}"""
                .formatted(card));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return UUID.fromString(Json.parse(created.body()).get("payment_id").asString());
    }

    List<UUID> payMany(String apiKey, int count) {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<UUID>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(pool.submit(() -> pay(apiKey, "4242424242424242")));
            }
            List<UUID> ids = new ArrayList<>();
            for (Future<UUID> f : futures) {
                ids.add(f.get());
            }
            return ids;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode log(String receiver) {
        HttpResponse<String> answer = http.get("/simulators/merchant/webhook/" + receiver + "?limit=5000", Map.of());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.parse(answer.body());
    }

    void faults(String receiver, String body) {
        HttpResponse<String> answer = http.post("/simulators/merchant/webhook/" + receiver + "/faults",
                Map.of("Content-Type", "application/json"), body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    static JsonNode find(JsonNode log, UUID paymentId, String type) {
        for (JsonNode r : log.get("received")) {
            if (type.equals(r.path("type").asString(""))
                    && Json.parse(r.get("body").asString()).path("data").path("payment_id").asString("").equals(paymentId.toString())) {
                return r;
            }
        }
        return null;
    }

    long deliveries(String endpointId, String status) {
        return jdbc.sql("select count(*) from webhook_deliveries where endpoint_id = ?::uuid and status = ?")
                .params(endpointId, status).query(Long.class).single();
    }

    long eventCount(String merchantId) {
        return jdbc.sql("select count(*) from webhook_events where merchant_id = ?::uuid").param(merchantId)
                .query(Long.class).single();
    }

    Set<UUID> otherEndpoints(UUID endpointId) {
        return new HashSet<>(jdbc.sql("select endpoint_id from webhook_endpoints where endpoint_id <> ?")
                .param(endpointId).query(UUID.class).list());
    }

    JsonNode endpoints(TestMerchant m) {
        HttpResponse<String> answer = http.get("/admin-api/merchants/" + m.id() + "/webhook-endpoints", ADMIN);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.parse(answer.body()).get("data");
    }

    JsonNode getJson(String path, String apiKey) {
        HttpResponse<String> answer = http.get(path, Map.of("X-API-Key", apiKey));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.parse(answer.body());
    }

    void patchEndpoint(TestMerchant m, String body) {
        assertThat(patch("/v1/webhook_endpoints/" + m.endpointId(), m.apiKey(), body).statusCode()).isEqualTo(200);
    }

    HttpResponse<String> patch(String path, String apiKey, String body) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("X-API-Key", apiKey).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> delete(String path, String apiKey) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("X-API-Key", apiKey).DELETE().build());
    }

    static HttpResponse<String> send(HttpRequest request) {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
