package dev.payrail.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.payrail.payment.Payment;
import dev.payrail.payment.PaymentStatus;
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
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaAdmin;
import tools.jackson.databind.JsonNode;

/**
 * Payments from intake to their final status through the real simulators over HTTP, the real Kafka topic and
 * the real database: each test card ends as the README's table says, a soft decline or an outage cascades, a
 * hard decline does not, an unknown outcome is inquired (never cascaded), and a redelivered or re-processed
 * payment is never authorized twice — checked against the simulators' own books.
 */
@IntegrationTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProcessingIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PaymentProcessor processor;

    @Autowired
    KafkaAdmin kafkaAdmin;

    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        for (String acquirer : List.of("alpha", "beta", "gamma")) {
            simulator(acquirer, "/knobs/reset", "{}");
        }
    }

    @AfterEach
    void tearDown() {
        for (String acquirer : List.of("alpha", "beta", "gamma")) {
            simulator(acquirer, "/knobs/reset", "{}");
        }
    }

    @Test
    @Order(1)
    void everyTestCardEndsAsTheTableSaysAndTheAcquirersBooksAgree() throws Exception {
        List<Future<UUID>> created = new ArrayList<>();
        List<TestCards> expected = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (int round = 0; round < 5; round++) {
                for (TestCards row : TestCards.TABLE) {
                    expected.add(row);
                    created.add(pool.submit(() -> pay(row.card())));
                }
            }
        }
        List<UUID> ids = new ArrayList<>();
        for (Future<UUID> f : created) {
            ids.add(f.get());
        }

        await().atMost(Duration.ofSeconds(90)).until(() -> stillProcessing(ids) == 0);

        for (int i = 0; i < ids.size(); i++) {
            UUID id = ids.get(i);
            TestCards row = expected.get(i);
            JsonNode payment = get(id);
            assertThat(payment.get("status").asString()).as("%s (%s)", row.card(), id).isEqualTo(row.status());
            assertThat(payment.get("acquirer").asString()).as("%s: %s", row.card(), payment).isEqualTo(row.acquirer());
            assertThat(payment.get("decline_code").isNull() ? null : payment.get("decline_code").asString())
                    .as("%s", row.card()).isEqualTo(row.declineCode());
            List<String> tried = new ArrayList<>();
            payment.get("attempts").forEach(a -> tried.add(a.get("acquirer").asString()));
            assertThat(tried).as("acquirers tried for %s", row.card()).isEqualTo(row.tried());
            // The acquirers' own books: an approval in Payrail is exactly one approval there, and no other
            // acquirer approved this payment.
            for (String acquirer : List.of("alpha", "beta", "gamma")) {
                String booked = bookedStatus(acquirer, id);
                if ("approved".equals(row.status()) && acquirer.equals(row.acquirer())) {
                    assertThat(booked).as("%s at %s", row.card(), acquirer).isEqualTo("approved");
                } else {
                    assertThat(booked).as("%s at %s", row.card(), acquirer).isNotEqualTo("approved");
                }
            }
        }
    }

    @Test
    @Order(2)
    void aRedeliveredOrReprocessedPaymentIsNeverAuthorizedTwice() throws Exception {
        UUID id = pay("4242424242424242");
        await().atMost(Duration.ofSeconds(30)).until(() -> stillProcessing(List.of(id)) == 0);
        long eventsBefore = finalEvents(id);

        // The relay publishes the creation event again (the state a crash between Kafka's ack and the marking
        // leaves), and processing is also run directly, several times at once.
        jdbc.sql("update outbox set published_at = null where aggregate_id = ? and event_type = 'payment.created'")
                .param(id).update();
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                "select count(*) from outbox where aggregate_id = ? and published_at is null")
                .param(id).query(Long.class).single() == 0);
        try (var pool = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < 4; i++) {
                pool.submit(() -> processor.process(id));
            }
        }
        awaitConsumerCaughtUp();

        JsonNode payment = get(id);
        assertThat(payment.get("status").asString()).isEqualTo("approved");
        assertThat(payment.get("attempts")).hasSize(1);
        assertThat(finalEvents(id)).isEqualTo(eventsBefore).isEqualTo(1);
        assertThat(bookedStatus("alpha", id)).isEqualTo("approved");
        assertThat(bookedStatus("beta", id)).isEqualTo("not_found");
    }

    @Test
    @Order(3)
    void aPaymentLeftInFlightByACrashIsSettledByInquiryNotByANewAttempt() {
        UUID id = pay("4242424242424242");
        await().atMost(Duration.ofSeconds(30)).until(() -> stillProcessing(List.of(id)) == 0);
        // The state a crash between the acquirer's approval and Payrail's record of it leaves behind: the attempt
        // was sent, the acquirer approved it, the payment is still processing.
        jdbc.sql("update payments set status = 'processing', acquirer = null, updated_at = now() - interval '1 minute' "
                + "where payment_id = ?").param(id).update();
        jdbc.sql("update payment_attempts set outcome = 'sent', resolved_at = null where payment_id = ?")
                .param(id).update();

        await().atMost(Duration.ofSeconds(30)).until(() -> stillProcessing(List.of(id)) == 0);

        JsonNode payment = get(id);
        assertThat(payment.get("status").asString()).isEqualTo("approved");
        assertThat(payment.get("acquirer").asString()).isEqualTo("alpha");
        assertThat(payment.get("attempts")).hasSize(1);
        assertThat(payment.get("attempts").get(0).get("outcome").asString()).isEqualTo("approved");
        assertThat(bookedStatus("beta", id)).isEqualTo("not_found");
        assertThat(bookedStatus("gamma", id)).isEqualTo("not_found");
    }

    @Test
    @Order(4)
    void anOutageAtAlphaCascadesToBetaWhileAHardDeclineDoesNot() {
        simulator("alpha", "/knobs/down", "{\"seconds\":60}");
        UUID approved = pay("4242424242424242");
        UUID hardDeclined = pay("4000000000000002");

        await().atMost(Duration.ofSeconds(30)).until(() -> stillProcessing(List.of(approved, hardDeclined)) == 0);

        JsonNode cascaded = get(approved);
        assertThat(cascaded.get("status").asString()).isEqualTo("approved");
        assertThat(cascaded.get("acquirer").asString()).isEqualTo("beta");
        assertThat(cascaded.get("attempts").get(0).get("acquirer").asString()).isEqualTo("alpha");
        assertThat(cascaded.get("attempts").get(0).get("decline_code").asString()).isEqualTo("acquirer_unavailable");
        JsonNode declined = get(hardDeclined);
        assertThat(declined.get("status").asString()).isEqualTo("declined");
        assertThat(declined.get("decline_code").asString()).isEqualTo("generic_decline");
        assertThat(declined.get("acquirer").asString()).isEqualTo("beta");
        assertThat(declined.get("attempts")).hasSize(2); // alpha unavailable, beta's hard decline: no gamma
    }

    @Test
    @Order(5)
    void aPaymentWaitingForASlowAcquirerDoesNotHoldBackThePaymentsBehindIt() {
        // alpha answers the late card only after 20 s: that payment stays open (unknown, then pending) meanwhile
        HttpResponse<String> knobs = http.post("/simulators/acquirers/alpha/knobs/reset", Map.of("Content-Type",
                "application/json"), "{}");
        assertThat(knobs.statusCode()).isEqualTo(200);
        putKnobs("alpha", "{\"late_answer_ms\":20000}");
        UUID slow = pay("4000000000000259");
        List<UUID> behind = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            behind.add(pay("4242424242424242"));
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> stillProcessing(behind) == 0);

        // the payments created after it are final while it is still waiting for alpha's answer
        assertThat(stillProcessing(List.of(slow))).isEqualTo(1);
        awaitConsumerCaughtUp(); // and the slow one's record does not keep the offsets back for ever either
        await().atMost(Duration.ofSeconds(90)).until(() -> stillProcessing(List.of(slow)) == 0);
        assertThat(get(slow).get("status").asString()).isEqualTo("approved");
    }

    @Test
    @Order(6)
    void aPaymentWhoseCardCannotBeReadFailsWithoutAnyAcquirerBeingAsked() {
        UUID erased = pay("4000000000000002");
        UUID broken = pay("4000000000000002");
        await().atMost(Duration.ofSeconds(30)).until(() -> stillProcessing(List.of(erased, broken)) == 0);
        // Both back to the state of a payment no acquirer has been offered yet, one with its card number erased
        // (a retention shorter than processing took), one with a box that does not open (edited in the database).
        for (UUID id : List.of(erased, broken)) {
            jdbc.sql("update payments set status = 'processing', acquirer = null, decline_code = null, "
                    + "updated_at = now() - interval '1 minute' where payment_id = ?").param(id).update();
            jdbc.sql("delete from payment_attempts where payment_id = ?").param(id).update();
        }
        jdbc.sql("update card_vault set pan_enc = null, pan_erased_at = now(), settled_at = null where payment_id = ?").param(erased).update();
        jdbc.sql("update card_vault set pan_enc = decode(repeat('5a', 44), 'hex'), pan_erased_at = null, "
                + "settled_at = null where payment_id = ?").param(broken).update();

        await().atMost(Duration.ofSeconds(30)).until(() -> stillProcessing(List.of(erased, broken)) == 0);

        for (UUID id : List.of(erased, broken)) {
            JsonNode payment = get(id);
            assertThat(payment.get("status").asString()).as(id.toString()).isEqualTo("failed");
            assertThat(payment.get("decline_code").asString()).isEqualTo(PaymentProcessor.CARD_UNAVAILABLE);
            assertThat(payment.get("attempts")).as("no acquirer was asked without the card").isEmpty();
        }
    }

    /**
     * The consumer reads a whole poll's payments ahead of processing them; by a payment's turn that snapshot may
     * be old. Processing from a snapshot taken while the payment was still new, after it was approved, must ask
     * no acquirer and change nothing.
     */
    @Test
    @Order(7)
    void aSnapshotReadBeforeThePaymentWasSettledAuthorizesNothingAgain() {
        UUID id = pay("4242424242424242");
        await().atMost(Duration.ofSeconds(30)).until(() -> stillProcessing(List.of(id)) == 0);
        Payment settled = processor.read(List.of(id)).get(id).payment();
        assertThat(settled.status()).isEqualTo(PaymentStatus.APPROVED);
        var asItWasWhenNew = new PaymentProcessor.Snapshot(new Payment(settled.paymentId(), settled.merchantId(),
                settled.amount(), settled.currency(), PaymentStatus.PROCESSING, settled.orderId(),
                settled.description(), settled.idempotencyKey(), settled.customer(), settled.card(),
                settled.createdAt(), settled.createdAt()), List.of());
        long eventsBefore = finalEvents(id);

        processor.process(id, asItWasWhenNew);

        JsonNode payment = get(id);
        assertThat(payment.get("status").asString()).isEqualTo("approved");
        assertThat(payment.get("attempts")).hasSize(1);
        assertThat(finalEvents(id)).isEqualTo(eventsBefore).isEqualTo(1);
        assertThat(List.of("alpha", "beta", "gamma").stream().map(acquirer -> bookedStatus(acquirer, id))
                .filter(status -> !status.equals("not_found")).toList()).containsExactly("approved");
    }

    private void putKnobs(String acquirer, String body) {
        try (var client = java.net.http.HttpClient.newHttpClient()) {
            var answer = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                    "http://127.0.0.1:" + port + "/simulators/acquirers/" + acquirer + "/knobs"))
                            .header("Content-Type", "application/json")
                            .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private UUID pay(String card) {
        HttpResponse<String> created = http.createPayment("/v1/payments", "proc-" + UUID.randomUUID(), """
                {"amount":4200,"currency":"EUR","order_id":"processing-test",
                 "payment_method":{"type":"card","number":"%s","exp_month":12,"exp_year":2034,"cvc":"123"}}"""
                .formatted(card));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return UUID.fromString(Json.parse(created.body()).get("payment_id").asString());
    }

    private JsonNode get(UUID id) {
        HttpResponse<String> answer = http.get("/v1/payments/" + id, Map.of("X-API-Key", Http.DEMO_KEY));
        assertThat(answer.statusCode()).isEqualTo(200);
        return Json.parse(answer.body());
    }

    private long stillProcessing(List<UUID> ids) {
        return jdbc.sql("select count(*) from payments where status = 'processing' and payment_id in ("
                        + ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(",")) + ")")
                .query(Long.class).single();
    }

    private long finalEvents(UUID id) {
        return jdbc.sql("select count(*) from outbox where aggregate_id = ? and event_type <> 'payment.created'")
                .param(id).query(Long.class).single();
    }

    private String bookedStatus(String acquirer, UUID id) {
        HttpResponse<String> answer = http.get("/simulators/acquirers/" + acquirer + "/transactions/" + id, Map.of());
        return Json.parse(answer.body()).get("status").asString();
    }

    private void simulator(String acquirer, String path, String body) {
        HttpResponse<String> answer = http.post("/simulators/acquirers/" + acquirer + path,
                Map.of("Content-Type", "application/json"), body);
        assertThat(answer.statusCode()).as(answer.body()).isBetween(200, 299);
    }

    /** Waits until the processing consumer group has committed every record on the topic. */
    private void awaitConsumerCaughtUp() {
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                "select count(*) from outbox where published_at is null").query(Long.class).single() == 0);
        try (Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin
                        .listConsumerGroupOffsets(PaymentEventsConsumer.GROUP).partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> latest = committed.keySet().stream()
                        .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
                var ends = admin.listOffsets(latest).all().get();
                return !committed.isEmpty() && committed.entrySet().stream()
                        .allMatch(e -> e.getValue().offset() >= ends.get(e.getKey()).offset());
            });
        }
    }
}
