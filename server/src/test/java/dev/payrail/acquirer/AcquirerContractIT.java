package dev.payrail.acquirer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.payrail.acquirer.AcquirerOutcome.Approved;
import dev.payrail.acquirer.AcquirerOutcome.DeclineKind;
import dev.payrail.acquirer.AcquirerOutcome.Declined;
import dev.payrail.acquirer.AcquirerOutcome.Pending;
import dev.payrail.acquirer.AcquirerOutcome.Unknown;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Sensitive;
import dev.payrail.support.Http;
import dev.payrail.support.IntegrationTest;
import dev.payrail.support.Json;
import dev.payrail.support.ServerProcesses;
import dev.payrail.vault.VaultedCard;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The contract every acquirer adapter passes against its simulator, over real HTTP on loopback, through the
 * adapter Payrail itself uses ({@link Acquirers#byName}). Each acquirer has a subclass; a new adapter gets this
 * whole suite by writing one (Hyperswitch's connector template does the same).
 *
 * <p>Tests that need their own circuit breaker or bulkhead build a client of their own against the same
 * simulator, so the shared adapter's circuit is left alone for the other tests in the context.
 */
@IntegrationTest
abstract class AcquirerContractIT {

    static final String APPROVED = "4242424242424242";
    static final String GENERIC_DECLINE = "4000000000000002";
    static final String INSUFFICIENT_FUNDS = "4000000000009995";
    static final String EXPIRED_CARD = "4000000000000069";
    static final String PROCESSING_ERROR = "4000000000000119";
    static final String APPROVED_EXCEPT_ON_ALPHA = "4000000000000101";
    static final String APPROVED_LATE = "4000000000000259";

    @LocalServerPort
    int port;

    @Autowired
    Acquirers acquirers;

    Http http;
    AcquirerPort acquirer;

    /** The acquirer under test, as named in settings and routes. */
    abstract String name();

    /** This acquirer's adapter on the given client. */
    abstract AcquirerPort adapter(AcquirerClient client);

    /** What this acquirer answers for test card 4000000000000101 (null: an approval). */
    abstract Declined retryCardDecline();

    @BeforeEach
    void setUp() {
        http = new Http(port);
        acquirer = acquirers.byName(name()).orElseThrow();
        resetSimulator();
    }

    @AfterEach
    void resetSimulator() {
        assertThat(simulator("POST", "/knobs/reset", "").statusCode()).isEqualTo(200);
    }

    @Test
    void theApprovalCardIsApprovedWithTheAcquirersOwnReference() {
        AcquirerOutcome outcome = acquirer.authorize(authorization(APPROVED));

        assertThat(outcome).isInstanceOfSatisfying(Approved.class,
                approved -> assertThat(approved.acquirerReference()).startsWith(name() + "_"));
    }

    @Test
    void theDeclineCardsAreHardDeclinesWithTheirCodes() {
        assertThat(acquirer.authorize(authorization(GENERIC_DECLINE)))
                .isEqualTo(new Declined("generic_decline", DeclineKind.HARD));
        assertThat(acquirer.authorize(authorization(INSUFFICIENT_FUNDS)))
                .isEqualTo(new Declined("insufficient_funds", DeclineKind.HARD));
        assertThat(acquirer.authorize(authorization(EXPIRED_CARD)))
                .isEqualTo(new Declined("expired_card", DeclineKind.HARD));
    }

    @Test
    void theRetryCardIsDeclinedSoftlyOnlyWhereThisAcquirerSaysSo() {
        AcquirerOutcome outcome = acquirer.authorize(authorization(APPROVED_EXCEPT_ON_ALPHA));

        if (retryCardDecline() == null) {
            assertThat(outcome).isInstanceOf(Approved.class);
        } else {
            assertThat(outcome).isEqualTo(retryCardDecline());
        }
    }

    @Test
    void aProcessingErrorIsUnknownAndAnInquiryThenFindsASoftDecline() {
        Authorization request = authorization(PROCESSING_ERROR);

        assertThat(acquirer.authorize(request)).isInstanceOf(Unknown.class);
        assertThat(acquirer.inquire(request.reference()))
                .isEqualTo(new Declined("processing_error", DeclineKind.SOFT));
    }

    @Test
    void aLateAnswerIsUnknownAndAnInquiryAfterwardsFindsTheApproval() {
        Authorization request = authorization(APPROVED_LATE);

        AcquirerOutcome outcome = acquirer.authorize(request);

        assertThat(outcome).isInstanceOfSatisfying(Unknown.class,
                unknown -> assertThat(unknown.reason()).startsWith("no answer within"));
        // While the acquirer is still working it says pending, never "not found" (which would invite a cascade).
        assertThat(acquirer.inquire(request.reference())).isInstanceOfAny(Pending.class, Approved.class);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> acquirer.inquire(request.reference()), Approved.class::isInstance);
    }

    @Test
    void theSameReferenceTwiceAnswersTheFirstOutcomeAndBooksOneApproval() {
        Authorization request = authorization(APPROVED);

        Approved first = (Approved) acquirer.authorize(request);
        AcquirerOutcome second = acquirer.authorize(request);

        assertThat(second).isEqualTo(first);
        assertThat(ledgerEntries(request.reference())).singleElement()
                .satisfies(entry -> assertThat(entry.get("status").asString()).isEqualTo("approved"));
    }

    /**
     * Many calls with one reference at once, half of them with a card that would be approved and half with one that
     * would be declined: the simulator books the reference once (its writer takes concurrent bookings into one
     * statement, a reference at most once per statement) and every call answers what was booked.
     */
    @Test
    void oneReferenceSentManyTimesAtOnceIsBookedOnceAndEveryCallAnswersThatBooking() {
        Authorization approve = authorization(APPROVED);
        Authorization decline = new Authorization(approve.reference(), approve.amount(), approve.currency(),
                card(GENERIC_DECLINE), 12, 2030);
        List<AcquirerOutcome> outcomes;
        try (var background = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<AcquirerOutcome>> calls = IntStream.range(0, 8)
                    .mapToObj(i -> CompletableFuture.supplyAsync(
                            () -> acquirer.authorize(i % 2 == 0 ? approve : decline), background))
                    .toList();
            outcomes = calls.stream().map(CompletableFuture::join).toList();
        }

        assertThat(outcomes).hasSize(8).allSatisfy(outcome -> assertThat(outcome).isEqualTo(outcomes.get(0)));
        String booked = outcomes.get(0) instanceof Approved ? "approved" : "declined";
        assertThat(ledgerEntries(approve.reference())).singleElement()
                .satisfies(entry -> assertThat(entry.get("status").asString()).isEqualTo(booked));
    }

    @Test
    void aDeclinedReferenceIsNeverApprovedLaterWithAnotherCard() {
        Authorization declined = authorization(GENERIC_DECLINE);
        acquirer.authorize(declined);

        AcquirerOutcome again = acquirer.authorize(new Authorization(declined.reference(), declined.amount(),
                declined.currency(), card(APPROVED), 12, 2030));

        assertThat(again).isEqualTo(new Declined("generic_decline", DeclineKind.HARD));
    }

    @Test
    void anInquiryOfAReferenceTheAcquirerNeverSawIsNotFound() {
        assertThat(acquirer.inquire(reference())).isEqualTo(Declined.notFound());
    }

    @Test
    void aVoidOfAnApprovedAuthorizationTakesEffectOnceAndCanBeRepeated() {
        Authorization request = authorization(APPROVED);
        Approved approved = (Approved) acquirer.authorize(request);

        assertThat(acquirer.voidAuthorization(request.reference())).isEqualTo(approved);
        assertThat(acquirer.voidAuthorization(request.reference())).isEqualTo(approved);
        assertThat(acquirer.inquire(request.reference())).isEqualTo(new Declined("voided", DeclineKind.HARD));
        assertThat(acquirer.voidAuthorization(reference())).isEqualTo(Declined.notFound());
    }

    @Test
    void refundsUpToTheAuthorizedAmountAreApprovedOnceEachAndNoFurther() {
        Authorization request = authorization(APPROVED);
        acquirer.authorize(request);
        var firstRefund = new RefundRequest(reference(), request.reference(), 1000, "EUR");

        AcquirerOutcome first = acquirer.refund(firstRefund);
        AcquirerOutcome repeated = acquirer.refund(firstRefund);
        AcquirerOutcome tooMuch = acquirer.refund(new RefundRequest(reference(), request.reference(), 251, "EUR"));
        AcquirerOutcome rest = acquirer.refund(new RefundRequest(reference(), request.reference(), 250, "EUR"));

        assertThat(first).isInstanceOf(Approved.class);
        assertThat(repeated).isEqualTo(first);
        assertThat(tooMuch).isEqualTo(new Declined("amount_exceeds_remaining", DeclineKind.HARD));
        assertThat(rest).isInstanceOf(Approved.class);
        assertThat(acquirer.inquire(firstRefund.reference())).isEqualTo(first);
        assertThat(acquirer.voidAuthorization(request.reference()))
                .isEqualTo(new Declined("already_refunded", DeclineKind.HARD));
    }

    @Test
    void aRefundAnOperatorAskedToFailIsDeclinedAndOneAskedToSucceedIsApproved() {
        Authorization request = authorization(APPROVED);
        acquirer.authorize(request);
        var failing = new RefundRequest(reference(), request.reference(), 100, "EUR",
                RefundRequest.SimulatedOutcome.FAILED);

        assertThat(acquirer.refund(failing)).isEqualTo(new Declined("simulated_failure", DeclineKind.HARD));
        assertThat(acquirer.refund(failing)).isEqualTo(new Declined("simulated_failure", DeclineKind.HARD));
        assertThat(acquirer.refund(new RefundRequest(reference(), request.reference(), 1250, "EUR",
                RefundRequest.SimulatedOutcome.SUCCEEDED))).isInstanceOf(Approved.class);
    }

    @Test
    void aDownAcquirerIsUnavailableAndBooksNothing() {
        simulator("POST", "/knobs/down", "{\"seconds\":300}");
        Authorization request = authorization(APPROVED);

        assertThat(acquirer.authorize(request)).isEqualTo(Declined.unavailable());

        resetSimulator();
        assertThat(acquirer.inquire(request.reference())).isEqualTo(Declined.notFound());
    }

    @Test
    void aRefusedConnectionIsUnavailableBecauseNothingWasSent() {
        int closedPort = ServerProcesses.freePort();
        try (AcquirerClient client = client("http://127.0.0.1:" + closedPort + "/simulators/acquirers/" + name(), 1, 20)) {
            assertThat(adapter(client).authorize(authorization(APPROVED))).isEqualTo(Declined.unavailable());
        }
    }

    @Test
    void aRepeatWhileFailNextIsSetReplaysTheFirstOutcomeAndLeavesTheSwitchForTheNextNewCall() {
        Authorization request = authorization(APPROVED);
        Approved first = (Approved) acquirer.authorize(request);
        simulator("POST", "/knobs/fail-next", "{\"count\":1}");

        assertThat(acquirer.authorize(request)).isEqualTo(first);
        assertThat(acquirer.authorize(authorization(APPROVED))).isInstanceOf(Unknown.class);
    }

    @Test
    void failNextIsUnknownAndAnInquiryFindsThatNothingWasCharged() {
        simulator("POST", "/knobs/fail-next", "{\"count\":1}");
        Authorization failed = authorization(APPROVED);

        assertThat(acquirer.authorize(failed)).isInstanceOf(Unknown.class);
        assertThat(acquirer.inquire(failed.reference())).isEqualTo(new Declined("processing_error", DeclineKind.SOFT));
        assertThat(acquirer.authorize(authorization(APPROVED))).isInstanceOf(Approved.class);
    }

    @Test
    void theCircuitOpensAfterRepeatedFailuresAndThenRefusesWithoutCalling() {
        int failures = 4;
        simulator("POST", "/knobs/fail-next", "{\"count\":" + failures + "}");
        try (AcquirerClient client = client(ownSimulatorUrl(), 8, failures)) {
            AcquirerPort adapter = adapter(client);
            for (int i = 0; i < failures; i++) {
                assertThat(adapter.authorize(authorization(APPROVED))).isInstanceOf(Unknown.class);
            }
            assertThat(client.circuitState()).isEqualTo("OPEN");
            long received = requestsReceived();
            Authorization refused = authorization(APPROVED);

            assertThat(adapter.authorize(refused)).isEqualTo(Declined.unavailable());

            assertThat(requestsReceived()).isEqualTo(received);
            assertThat(acquirer.inquire(refused.reference())).isEqualTo(Declined.notFound());
        }
    }

    @Test
    void aFullBulkheadRefusesWithoutCalling() {
        try (AcquirerClient client = client(ownSimulatorUrl(), 1, 20);
             var background = Executors.newVirtualThreadPerTaskExecutor()) {
            AcquirerPort adapter = adapter(client);
            Authorization slow = authorization(APPROVED_LATE);
            CompletableFuture<AcquirerOutcome> inFlight = CompletableFuture.supplyAsync(
                    () -> adapter.authorize(slow), background);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> acquirer.inquire(slow.reference()), Pending.class::isInstance);
            Authorization refused = authorization(APPROVED);

            assertThat(adapter.authorize(refused)).isEqualTo(Declined.unavailable());

            assertThat(inFlight.join()).isInstanceOf(Approved.class);
            assertThat(acquirer.inquire(refused.reference())).isEqualTo(Declined.notFound());
        }
    }

    @Test
    void callsAreCountedPerAcquirerOperationAndOutcome() {
        acquirer.authorize(authorization(APPROVED));

        String metrics = http.get("/actuator/prometheus", Map.of()).body();

        assertThat(metrics.lines().filter(line -> line.startsWith("payrail_acquirer_calls_total{")
                && line.contains("acquirer=\"" + name() + "\"") && line.contains("operation=\"authorize\"")
                && line.contains("outcome=\"approved\""))).hasSize(1);
        assertThat(metrics).contains("payrail_acquirer_circuit_state{acquirer=\"" + name() + "\",state=\"closed\"} 1.0");
        assertThat(metrics).contains("payrail_acquirer_latency_seconds_bucket{acquirer=\"" + name() + "\"");
    }

    Authorization authorization(String cardNumber) {
        return new Authorization(reference(), 1250, "EUR", card(cardNumber), 12, 2030);
    }

    static VaultedCard card(String number) {
        return new VaultedCard(UUID.randomUUID(), UUID.randomUUID(), new Sensitive(number), new Sensitive("123"));
    }

    String reference() {
        return name() + "-test-" + UUID.randomUUID();
    }

    String ownSimulatorUrl() {
        return "http://127.0.0.1:" + port + "/simulators/acquirers/" + name();
    }

    /** A client of the test's own: circuit opens after {@code circuitCalls} calls at 50 % failures, for an hour. */
    AcquirerClient client(String url, int concurrentCallsMax, int circuitCalls) {
        var settings = new PayrailProperties.Acquirers.Acquirer(url, Duration.ofSeconds(10), Duration.ofSeconds(1),
                concurrentCallsMax, 50, circuitCalls, circuitCalls, Duration.ofHours(1), 1);
        return new AcquirerClient(name(), () -> Optional.of(url), settings, Clock.systemUTC(), new SimpleMeterRegistry());
    }

    HttpResponse<String> simulator(String method, String path, String body) {
        String url = "/simulators/acquirers/" + name() + path;
        return method.equals("GET") ? http.get(url, Map.of())
                : http.post(url, Map.of("Content-Type", "application/json"), body.isEmpty() ? "{}" : body);
    }

    long requestsReceived() {
        return Json.parse(simulator("GET", "/knobs", "").body()).get("requests_received").asLong();
    }

    List<JsonNode> ledgerEntries(String reference) {
        JsonNode ledger = Json.parse(simulator("GET", "/ledger?limit=10000", "").body());
        return ledger.get("entries").valueStream()
                .filter(entry -> entry.get("reference").asString().equals(reference)).toList();
    }
}
