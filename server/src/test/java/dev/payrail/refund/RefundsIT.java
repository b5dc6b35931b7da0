package dev.payrail.refund;

import static dev.payrail.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.payrail.support.Http;
import dev.payrail.support.IntegrationTest;
import dev.payrail.support.Json;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Refunds end to end against the real database, Kafka topic and acquirer simulators over HTTP: what Payrail says
 * is checked against the acquirer's own books (a refund Payrail calls succeeded is exactly one approved refund
 * there), the sum of refunds never exceeds the payment under concurrent requests, and a refund a crash or an
 * outage left {@code requested} is settled by sending it again — without the acquirer ever refunding twice.
 */
@IntegrationTest
class RefundsIT {

    static final String APPROVED_CARD = "4242424242424242";
    static final String DECLINED_CARD = "4000000000000002";
    static final Map<String, String> ADMIN = Map.of("Authorization", "Bearer dev-admin",
            "Content-Type", "application/json");

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        resetSimulators();
    }

    @AfterEach
    void tearDown() {
        resetSimulators();
    }

    @Test
    void fullAndPartialRefundsSucceedAndAreBookedOnceByTheApprovingAcquirer() {
        UUID payment = approvedPayment(5000);

        JsonNode first = created(refund(payment, key(), "{\"amount\":2000,\"reason\":\"one shirt returned\"}"));
        assertThat(settledStatus(first)).isEqualTo("succeeded");
        assertThat(first.get("amount").asLong()).isEqualTo(2000);
        assertThat(first.get("currency").asString()).isEqualTo("EUR");
        assertThat(first.get("reason").asString()).isEqualTo("one shirt returned");
        JsonNode rest = created(refund(payment, key(), "{\"amount\":3000}"));
        assertThat(settledStatus(rest)).isEqualTo("succeeded");

        assertProblem(refund(payment, key(), "{\"amount\":1}"), 409, "refund_exceeds_amount");
        HttpResponse<String> shown = http.get("/v1/payments/" + payment, Map.of("X-API-Key", Http.DEMO_KEY));
        assertThat(Json.parse(shown.body()).get("refunded_amount").asLong()).isEqualTo(5000);

        HttpResponse<String> listed = http.get("/v1/payments/" + payment + "/refunds", Map.of("X-API-Key", Http.DEMO_KEY));
        assertThat(listed.statusCode()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        Json.parse(listed.body()).get("data").forEach(r -> ids.add(r.get("refund_id").asString()));
        assertThat(ids).containsExactly(first.get("refund_id").asString(), rest.get("refund_id").asString());

        // The acquirer's books: each refund once, approved, for its amount, against this payment's authorization.
        assertThat(bookedRefunds(payment)).containsExactlyInAnyOrderEntriesOf(Map.of(
                first.get("refund_id").asString(), 2000L, rest.get("refund_id").asString(), 3000L));
        for (JsonNode r : List.of(first, rest)) {
            JsonNode booked = booking(r.get("refund_id").asString());
            assertThat(booked.get("status").asString()).isEqualTo("approved");
            assertThat(booked.get("authorization_reference").asString()).isEqualTo(payment.toString());
        }
        // One refund.succeeded per refund, on the payment's key, with its fields.
        List<JsonNode> events = events(payment, "refund.succeeded");
        assertThat(events).hasSize(2);
        JsonNode data = events.getFirst().get("data");
        assertThat(data.get("payment_id").asString()).isEqualTo(payment.toString());
        assertThat(data.get("status").asString()).isEqualTo("succeeded");
        assertThat(data.get("failure_code").isNull()).isTrue();
        assertThat(events.getFirst().get("event_version").asInt()).isEqualTo(1);
    }

    @Test
    void aRefundGoesToTheAcquirerThatApprovedThePayment() {
        // Declined soft at alpha, approved at beta: the refund must go to beta, against beta's authorization.
        UUID payment = settledPayment("4000000000000101", 1200, "approved");
        assertThat(jdbc.sql("select acquirer from payments where payment_id = ?").param(payment).query(String.class)
                .single()).isEqualTo("beta");
        JsonNode refund = created(refund(payment, key(), "{\"amount\":1200}"));
        assertThat(settledStatus(refund)).isEqualTo("succeeded");
        assertThat(bookedRefunds("beta", payment)).containsExactlyEntriesOf(Map.of(id(refund), 1200L));
        assertThat(bookedRefunds("alpha", payment)).isEmpty();
        assertThat(bookedRefunds("gamma", payment)).isEmpty();
    }

    @Test
    void aRefundOfADeclinedPaymentIsRefusedAndChangesNothing() {
        UUID payment = settledPayment(DECLINED_CARD, 1500, "declined");
        String key = key();
        assertProblem(refund(payment, key, "{\"amount\":100}"), 409, "payment_not_refundable");
        assertThat(refundCount(payment)).isZero();
        // The refused request stored nothing under its key: the key is free for another request.
        UUID approved = approvedPayment(1500);
        assertThat(settledStatus(created(refund(approved, key, "{\"amount\":100}")))).isEqualTo("succeeded");
    }

    @Test
    void badBodiesAreRefusedWithEveryFieldNamed() {
        UUID payment = approvedPayment(1000);
        JsonNode problem = assertProblem(refund(payment, key(), "{\"amount\":0,\"reason\":7}"), 422, "validation_failed");
        List<String> fields = new ArrayList<>();
        problem.get("errors").forEach(e -> fields.add(e.get("field").asString()));
        assertThat(fields).containsExactlyInAnyOrder("amount", "reason");
        assertProblem(refund(payment, key(), "{\"amount\":-5}"), 422, "validation_failed");
        assertProblem(refund(payment, key(), "{\"amount\":\"10\"}"), 422, "validation_failed");
        assertProblem(refund(payment, key(), "[]"), 400, "invalid_body");
        assertProblem(refund(payment, key(), "{\"amount\":"), 400, "malformed_json");
        assertProblem(refund(payment, key(), "{\"amount\":1,\"amount\":1000}"), 400, "malformed_json");
        assertProblem(http.post("/v1/payments/" + payment + "/refunds", Map.of("X-API-Key", Http.DEMO_KEY,
                "Content-Type", "text/plain"), "{\"amount\":10}"), 415, "unsupported_media_type");
        assertProblem(http.post("/admin-api/payments/" + payment + "/refunds", ADMIN, "{\"amount\":1,\"amount\":2}"),
                400, "malformed_json");
        assertProblem(refund(UUID.randomUUID(), key(), "{\"amount\":10}"), 404, "payment_not_found");
        assertThat(refundCount(payment)).isZero();
    }

    @Test
    void theSameKeyAndBodyAnswersTheSameRefundAndADifferentBodyIsRefused() {
        UUID payment = approvedPayment(4000);
        String key = key();
        HttpResponse<String> firstAnswer = refund(payment, key, "{\"amount\":1000,\"reason\":\"late delivery\"}");
        JsonNode first = created(firstAnswer);
        assertThat(firstAnswer.headers().firstValue("Idempotent-Replayed")).isEmpty();

        HttpResponse<String> again = refund(payment, key, "{ \"reason\":\"late delivery\", \"amount\":1000 }");
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        JsonNode replayed = Json.parse(again.body());
        assertThat(replayed.get("refund_id").asString()).isEqualTo(first.get("refund_id").asString());
        assertThat(settledStatus(first)).isEqualTo("succeeded");
        HttpResponse<String> later = refund(payment, key, "{\"amount\":1000,\"reason\":\"late delivery\"}");
        assertThat(Json.parse(later.body()).get("status").asString()).isEqualTo("succeeded");

        assertProblem(refund(payment, key, "{\"amount\":1001,\"reason\":\"late delivery\"}"), 422, "idempotency_key_reuse");
        assertProblem(refund(payment, key, "{\"amount\":1000}"), 422, "idempotency_key_reuse");
        assertThat(refundCount(payment)).isEqualTo(1);
        assertThat(bookedRefunds(payment)).hasSize(1);
    }

    @Test
    void concurrentRefundsNeverExceedThePaymentAmount() throws Exception {
        UUID payment = approvedPayment(10_000);
        int requests = 20;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(requests)) {
            for (int i = 0; i < requests; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return refund(payment, key(), "{\"amount\":1000}");
                }));
            }
            start.countDown();
        }
        int accepted = 0;
        for (Future<HttpResponse<String>> f : answers) {
            HttpResponse<String> answer = f.get();
            if (answer.statusCode() == 201) {
                accepted++;
                assertThat(settledStatus(Json.parse(answer.body()))).isEqualTo("succeeded");
            } else {
                assertProblem(answer, 409, "refund_exceeds_amount");
            }
        }
        assertThat(accepted).isEqualTo(10);
        assertThat(jdbc.sql("select coalesce(sum(amount), 0) from refunds where payment_id = ? and status <> 'failed'")
                .param(payment).query(Long.class).single()).isEqualTo(10_000L);
        assertThat(bookedRefunds(payment).values().stream().mapToLong(Long::longValue).sum()).isEqualTo(10_000L);
        assertThat(bookedRefunds(payment)).hasSize(10);
    }

    @Test
    void concurrentRequestsWithOneKeyMakeOneRefund() throws Exception {
        UUID payment = approvedPayment(8000);
        String key = key();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return refund(payment, key, "{\"amount\":3000}");
                }));
            }
            start.countDown();
        }
        List<String> refundIds = new ArrayList<>();
        for (Future<HttpResponse<String>> f : answers) {
            refundIds.add(created(f.get()).get("refund_id").asString());
        }
        assertThat(refundIds).hasSize(8).containsOnly(refundIds.getFirst());
        assertThat(refundCount(payment)).isEqualTo(1);
        assertThat(settledStatus(Json.parse(answers.getFirst().get().body()))).isEqualTo("succeeded");
        assertThat(bookedRefunds(payment)).containsExactlyEntriesOf(Map.of(refundIds.getFirst(), 3000L));
    }

    @Test
    void aSimulatedFailedRefundFailsWithItsEventAndFreesTheAmount() {
        UUID payment = approvedPayment(2500);
        HttpResponse<String> failedAnswer = http.post("/admin-api/payments/" + payment + "/simulate-refund", ADMIN,
                "{\"amount\":2500,\"reason\":\"test failure\",\"success\":false}");
        JsonNode failed = created(failedAnswer);
        assertThat(settledStatus(failed)).isEqualTo("failed");
        assertThat(failed.properties().stream().map(Map.Entry::getKey).toList())
                .containsExactlyInAnyOrder("refund_id", "payment_id", "amount", "currency", "status", "reason", "created_at");

        List<JsonNode> failures = events(payment, "refund.failed");
        assertThat(failures).hasSize(1);
        JsonNode data = failures.getFirst().get("data");
        assertThat(data.get("refund_id").asString()).isEqualTo(failed.get("refund_id").asString());
        assertThat(data.get("status").asString()).isEqualTo("failed");
        assertThat(data.get("failure_code").asString()).isEqualTo("simulated_failure");
        assertThat(data.get("merchant_id").asString()).isNotBlank();
        assertThat(booking(failed.get("refund_id").asString()).get("status").asString()).isEqualTo("declined");

        // A failed refund moved no money, so the whole amount can still be refunded.
        JsonNode succeeded = created(http.post("/api/admin-api/payments/" + payment + "/simulate-refund", ADMIN,
                "{\"amount\":2500,\"success\":true}"));
        assertThat(settledStatus(succeeded)).isEqualTo("succeeded");
        assertProblem(http.post("/admin-api/payments/" + payment + "/refunds", ADMIN, "{\"amount\":1}"),
                409, "refund_exceeds_amount");
        assertProblem(http.post("/admin-api/payments/" + payment + "/simulate-refund", ADMIN, "{\"amount\":1}"),
                422, "validation_failed");
    }

    @Test
    void theAdminRoutesRefundThroughTheSamePathAndListWithThePrototypesFilters() {
        UUID payment = approvedPayment(9000);
        UUID other = approvedPayment(9000);
        long before = Instant.now().getEpochSecond() - 1;
        JsonNode a = created(http.post("/admin-api/payments/" + payment + "/refunds", ADMIN,
                "{\"amount\":1000,\"reason\":\"a\"}"));
        JsonNode b = created(http.post("/api/admin-api/payments/" + payment + "/refunds", ADMIN,
                "{\"amount\":2000,\"reason\":\"b\",\"result\":\"failed\"}"));
        JsonNode c = created(http.post("/admin-api/payments/" + payment + "/refunds", ADMIN,
                "{\"amount\":3000,\"result\":\"succeeded\"}"));
        created(http.post("/admin-api/payments/" + other + "/refunds", ADMIN, "{\"amount\":500}"));
        long after = Instant.now().getEpochSecond() + 1;
        assertThat(List.of(a, b, c).stream().map(this::settledStatus).toList())
                .containsExactly("succeeded", "failed", "succeeded");

        JsonNode all = list("/admin-api/refunds?payment_id=" + payment + "&order=asc");
        assertThat(all.get("total").asLong()).isEqualTo(3);
        assertThat(ids(all)).containsExactly(id(a), id(b), id(c));
        assertThat(all.get("limit").asInt()).isEqualTo(25);
        assertThat(all.get("offset").asLong()).isZero();

        JsonNode newestFirst = list("/api/admin-api/refunds?payment_id=" + payment + "&limit=2&offset=0&order=desc");
        assertThat(ids(newestFirst)).containsExactly(id(c), id(b));
        assertThat(newestFirst.get("total").asLong()).isEqualTo(3);
        JsonNode secondPage = list("/api/admin-api/refunds?payment_id=" + payment + "&limit=2&offset=2&order=desc");
        assertThat(ids(secondPage)).containsExactly(id(a));

        assertThat(ids(list("/admin-api/refunds?payment_id=" + payment + "&status=succeeded&order=asc")))
                .containsExactly(id(a), id(c));
        assertThat(ids(list("/admin-api/refunds?payment_id=" + payment + "&status=failed"))).containsExactly(id(b));
        assertThat(ids(list("/admin-api/refunds?payment_id=" + payment + "&created_from=" + before
                + "&created_to=" + after + "&status=&limit=25&offset=0&order=asc"))).containsExactly(id(a), id(b), id(c));
        assertThat(list("/admin-api/refunds?payment_id=" + payment + "&created_to=" + (before - 3600)).get("total")
                .asLong()).isZero();
        assertThat(list("/admin-api/refunds?created_from=" + before).get("total").asLong()).isGreaterThanOrEqualTo(4);

        JsonNode ofPayment = list("/admin-api/payments/" + payment + "/refunds");
        assertThat(ids(ofPayment)).containsExactly(id(a), id(b), id(c));
        assertThat(ofPayment.get("total").asLong()).isEqualTo(3);
        assertThat(ofPayment.get("items").get(0).get("created_at").asLong()).isBetween(before, after);

        assertProblem(http.get("/admin-api/refunds?status=pending", ADMIN), 400, "invalid_parameter");
        assertProblem(http.get("/admin-api/refunds?limit=201", ADMIN), 400, "invalid_parameter");
        assertProblem(http.get("/admin-api/refunds?payment_id=nope", ADMIN), 400, "invalid_parameter");
        assertProblem(http.get("/admin-api/payments/" + UUID.randomUUID() + "/refunds", ADMIN), 404, "payment_not_found");
        assertProblem(http.post("/admin-api/payments/" + payment + "/refunds", ADMIN, "{\"amount\":5,\"result\":\"maybe\"}"),
                422, "validation_failed");
        assertThat(http.get("/admin-api/refunds", Map.of()).statusCode()).isEqualTo(401);
        // 9000 - 1000 - 3000 succeeded (the failed 2000 does not count): 5000 left.
        assertProblem(http.post("/admin-api/payments/" + payment + "/refunds", ADMIN, "{\"amount\":5001}"),
                409, "refund_exceeds_amount");
        UUID declined = settledPayment(DECLINED_CARD, 700, "declined");
        assertProblem(http.post("/admin-api/payments/" + declined + "/simulate-refund", ADMIN,
                "{\"amount\":100,\"success\":true}"), 409, "payment_not_refundable");
    }

    @Test
    void refundsLeftRequestedByACrashAreSettledWithoutTheAcquirerRefundingTwice() {
        UUID payment = approvedPayment(6000);
        Instant longAgo = Instant.now().minusSeconds(120);
        // 1. A crash after the commit, before the call: the acquirer never heard of this refund.
        UUID neverSent = insertRequested(payment, 1000, longAgo);
        // 2. A crash after the acquirer refunded, before Payrail recorded it: the acquirer has it approved already.
        UUID sentBeforeTheCrash = UUID.randomUUID();
        HttpResponse<String> direct = http.post("/simulators/acquirers/alpha/refunds",
                Map.of("Content-Type", "application/json"), """
                {"reference":"%s","authorization_reference":"%s","amount":2000,"currency":"EUR"}"""
                        .formatted(sentBeforeTheCrash, payment));
        assertThat(Json.parse(direct.body()).get("status").asString()).as(direct.body()).isEqualTo("approved");
        insertRequested(payment, sentBeforeTheCrash, 2000, longAgo);
        // While both are requested they count against the amount: 3000 left.
        assertProblem(refund(payment, key(), "{\"amount\":3001}"), 409, "refund_exceeds_amount");

        await().atMost(Duration.ofSeconds(60)).until(() -> status(neverSent).equals("succeeded")
                && status(sentBeforeTheCrash).equals("succeeded"));

        // Exactly one booking each at the acquirer, and one event each in the outbox.
        assertThat(bookedRefunds(payment)).containsExactlyInAnyOrderEntriesOf(Map.of(
                neverSent.toString(), 1000L, sentBeforeTheCrash.toString(), 2000L));
        assertThat(events(payment, "refund.succeeded")).hasSize(2);
        assertThat(jdbc.sql("select resends from refunds where refund_id = ?").param(sentBeforeTheCrash)
                .query(Integer.class).single()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aRefundTheAcquirerCouldNotTakeIsAnsweredRequestedAndSettledOnceItIsBack() {
        UUID payment = approvedPayment(3000);
        simulator("alpha", "/knobs/down", "{\"seconds\":3}");
        JsonNode answered = created(refund(payment, key(), "{\"amount\":3000}"));
        assertThat(answered.get("status").asString()).isEqualTo("requested");
        UUID refundId = UUID.fromString(answered.get("refund_id").asString());

        await().atMost(Duration.ofSeconds(60)).until(() -> status(refundId).equals("succeeded"));
        assertThat(bookedRefunds(payment)).containsExactlyEntriesOf(Map.of(refundId.toString(), 3000L));
        assertThat(events(payment, "refund.succeeded")).hasSize(1);
        JsonNode listed = Json.parse(http.get("/v1/payments/" + payment + "/refunds",
                Map.of("X-API-Key", Http.DEMO_KEY)).body());
        assertThat(listed.get("data").get(0).get("status").asString()).isEqualTo("succeeded");
    }

    @Test
    void anotherMerchantsPaymentIsNotFound() {
        UUID payment = approvedPayment(2000);
        HttpResponse<String> merchant = http.post("/admin-api/merchants", ADMIN,
                "{\"webhook_url\":\"https://other.example/hooks\",\"api_secret\":\"whsec-other\"}");
        assertThat(merchant.statusCode()).isEqualTo(201);
        String otherKey = Json.parse(merchant.body()).get("api_key").asString();

        assertProblem(http.post("/v1/payments/" + payment + "/refunds", Map.of("X-API-Key", otherKey,
                "Content-Type", "application/json", "Idempotency-Key", key()), "{\"amount\":100}"), 404, "payment_not_found");
        assertProblem(http.get("/v1/payments/" + payment + "/refunds", Map.of("X-API-Key", otherKey)),
                404, "payment_not_found");
        assertThat(refundCount(payment)).isZero();
        assertThat(http.post("/v1/payments/" + payment + "/refunds", Map.of("Content-Type", "application/json"),
                "{\"amount\":100}").statusCode()).isEqualTo(401);
    }

    // --- helpers ---

    private UUID approvedPayment(long amount) {
        return settledPayment(APPROVED_CARD, amount, "approved");
    }

    private UUID settledPayment(String card, long amount, String expectedStatus) {
        HttpResponse<String> created = http.createPayment("/v1/payments", "refund-pay-" + UUID.randomUUID(), """
                {"amount":%d,"currency":"EUR","order_id":"refund-test",
                 "payment_method":{"type":"card","number":"%s","exp_month":12,"exp_year":2034,"cvc":"123"}}"""
                .formatted(amount, card));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        UUID id = UUID.fromString(Json.parse(created.body()).get("payment_id").asString());
        await().atMost(Duration.ofSeconds(60)).until(() -> !paymentStatus(id).equals("processing"));
        assertThat(paymentStatus(id)).isEqualTo(expectedStatus);
        return id;
    }

    private String paymentStatus(UUID id) {
        return jdbc.sql("select status from payments where payment_id = ?").param(id).query(String.class).single();
    }

    private HttpResponse<String> refund(UUID payment, String idempotencyKey, String body) {
        Map<String, String> headers = new HashMap<>(Map.of("X-API-Key", Http.DEMO_KEY, "Content-Type", "application/json"));
        headers.put("Idempotency-Key", idempotencyKey);
        return http.post("/v1/payments/" + payment + "/refunds", headers, body);
    }

    /**
     * The refund's final status: the answer's, or — when the acquirer did not answer within its time-out, which a
     * loaded machine can cause — the one the settler gives it later.
     */
    private String settledStatus(JsonNode refund) {
        String answered = refund.get("status").asString();
        if (!answered.equals("requested")) {
            return answered;
        }
        UUID id = UUID.fromString(refund.get("refund_id").asString());
        await().atMost(Duration.ofSeconds(60)).until(() -> !status(id).equals("requested"));
        return status(id);
    }

    private static JsonNode created(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        return Json.parse(answer.body());
    }

    private JsonNode list(String path) {
        HttpResponse<String> answer = http.get(path, ADMIN);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.parse(answer.body());
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(r -> ids.add(r.get("refund_id").asString()));
        return ids;
    }

    private static String id(JsonNode refund) {
        return refund.get("refund_id").asString();
    }

    private static String key() {
        return "refund-" + UUID.randomUUID();
    }

    private long refundCount(UUID payment) {
        return jdbc.sql("select count(*) from refunds where payment_id = ?").param(payment).query(Long.class).single();
    }

    private String status(UUID refundId) {
        return jdbc.sql("select status from refunds where refund_id = ?").param(refundId).query(String.class).single();
    }

    /** The approved refunds the acquirer booked against this payment's authorization: reference → amount. */
    private Map<String, Long> bookedRefunds(UUID payment) {
        return bookedRefunds("alpha", payment);
    }

    private Map<String, Long> bookedRefunds(String acquirer, UUID payment) {
        HttpResponse<String> ledger = http.get("/simulators/acquirers/" + acquirer + "/ledger?limit=10000", Map.of());
        assertThat(ledger.statusCode()).isEqualTo(200);
        Map<String, Long> booked = new HashMap<>();
        Json.parse(ledger.body()).get("entries").forEach(e -> {
            if (e.get("kind").asString().equals("refund") && e.get("status").asString().equals("approved")
                    && payment.toString().equals(e.get("authorization_reference").asString())) {
                assertThat(booked.put(e.get("reference").asString(), e.get("amount").asLong())).isNull();
            }
        });
        return booked;
    }

    private JsonNode booking(String reference) {
        HttpResponse<String> answer = http.get("/simulators/acquirers/alpha/transactions/" + reference, Map.of());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.parse(answer.body());
    }

    private List<JsonNode> events(UUID payment, String type) {
        return jdbc.sql("select payload from outbox where aggregate_id = ? and event_type = ? and topic = 'payments'"
                        + " order by seq")
                .params(payment, type).query(String.class).list().stream().map(Json::parse).toList();
    }

    private UUID insertRequested(UUID payment, long amount, Instant at) {
        return insertRequested(payment, UUID.randomUUID(), amount, at);
    }

    /** A refund as a crash leaves it: committed requested, long ago, its outcome never recorded. */
    private UUID insertRequested(UUID payment, UUID refundId, long amount, Instant at) {
        jdbc.sql("""
                insert into refunds (refund_id, payment_id, merchant_id, amount, currency, status, acquirer,
                                     authorization_reference, created_at, updated_at)
                select ?, payment_id, merchant_id, ?, currency, 'requested', acquirer, payment_id::text, ?, ?
                from payments where payment_id = ?""")
                .params(refundId, amount, Timestamp.from(at), Timestamp.from(at), payment)
                .update();
        return refundId;
    }

    private void resetSimulators() {
        for (String acquirer : List.of("alpha", "beta", "gamma")) {
            simulator(acquirer, "/knobs/reset", "{}");
        }
    }

    private void simulator(String acquirer, String path, String body) {
        HttpResponse<String> answer = http.post("/simulators/acquirers/" + acquirer + path,
                Map.of("Content-Type", "application/json"), body);
        assertThat(answer.statusCode()).as(answer.body()).isBetween(200, 299);
    }
}
