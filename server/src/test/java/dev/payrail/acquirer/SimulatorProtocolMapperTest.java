package dev.payrail.acquirer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.payrail.acquirer.AcquirerOutcome.Approved;
import dev.payrail.acquirer.AcquirerOutcome.DeclineKind;
import dev.payrail.acquirer.AcquirerOutcome.Declined;
import dev.payrail.acquirer.AcquirerOutcome.Pending;
import dev.payrail.acquirer.AcquirerOutcome.Unknown;
import dev.payrail.platform.Sensitive;
import dev.payrail.support.Json;
import dev.payrail.vault.VaultedCard;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Every acquirer's mapper, answer by answer: each HTTP status and body has exactly one outcome. */
class SimulatorProtocolMapperTest {

    static Stream<AcquirerMapper> mappers() {
        return Stream.of(new AlphaMapper(), new BetaMapper(), new GammaMapper());
    }

    private static AcquirerAnswer answer(int status, String body) {
        JsonNode json = body.isEmpty() ? null : Json.parse(body);
        return new AcquirerAnswer(status, json);
    }

    @ParameterizedTest
    @MethodSource("mappers")
    void anApprovalWithTheAcquirersReferenceIsApproved(AcquirerMapper mapper) {
        assertThat(mapper.outcome(answer(200, "{\"status\":\"approved\",\"acquirer_reference\":\"alpha_1\"}")))
                .isEqualTo(new Approved("alpha_1"));
    }

    @ParameterizedTest
    @MethodSource("mappers")
    void aDeclineKeepsItsCodeAndIsSoftOnlyWhenTheAcquirerSaysSo(AcquirerMapper mapper) {
        assertThat(mapper.outcome(answer(200, "{\"status\":\"declined\",\"code\":\"do_not_honor\",\"decline_type\":\"soft\"}")))
                .isEqualTo(new Declined("do_not_honor", DeclineKind.SOFT));
        assertThat(mapper.outcome(answer(200, "{\"status\":\"declined\",\"code\":\"stolen_card\",\"decline_type\":\"hard\"}")))
                .isEqualTo(new Declined("stolen_card", DeclineKind.HARD));
        assertThat(mapper.outcome(answer(200, "{\"status\":\"declined\"}")))
                .isEqualTo(new Declined("declined", DeclineKind.HARD));
    }

    @ParameterizedTest
    @MethodSource("mappers")
    void pendingIsPendingAndVoidedIsAHardVoidedDecline(AcquirerMapper mapper) {
        assertThat(mapper.outcome(answer(202, "{\"status\":\"pending\"}"))).isEqualTo(new Pending());
        assertThat(mapper.outcome(answer(200, "{\"status\":\"voided\",\"acquirer_reference\":\"a\"}")))
                .isEqualTo(new Declined("voided", DeclineKind.HARD));
    }

    @ParameterizedTest
    @MethodSource("mappers")
    void aReferenceTheAcquirerNeverSawIsTheDistinctNotFoundDecline(AcquirerMapper mapper) {
        assertThat(mapper.outcome(answer(404, "{\"reference\":\"r\",\"status\":\"not_found\"}")))
                .isEqualTo(new Declined("not_found", DeclineKind.SOFT));
    }

    @ParameterizedTest
    @MethodSource("mappers")
    void aMissingRouteAndAnUnavailableAnswerMeanNothingWasProcessed(AcquirerMapper mapper) {
        assertThat(mapper.outcome(answer(404, "{\"code\":\"not_found\"}"))).isEqualTo(Declined.unavailable());
        assertThat(mapper.outcome(answer(503, "{\"status\":\"unavailable\",\"code\":\"acquirer_down\"}")))
                .isEqualTo(new Declined("acquirer_unavailable", DeclineKind.SOFT));
    }

    @ParameterizedTest
    @MethodSource("mappers")
    void aServerErrorIsUnknownBecauseTheAcquirerMayHaveActed(AcquirerMapper mapper) {
        assertThat(mapper.outcome(answer(500, "{\"status\":\"error\",\"code\":\"processing_error\"}")))
                .isEqualTo(new Unknown("HTTP 500 processing_error"));
        assertThat(mapper.outcome(answer(502, ""))).isInstanceOf(Unknown.class);
        assertThat(mapper.outcome(answer(503, ""))).isInstanceOf(Unknown.class);
    }

    @ParameterizedTest
    @MethodSource("mappers")
    void aSuccessWeCannotReadIsUnknown(AcquirerMapper mapper) {
        assertThat(mapper.outcome(answer(200, ""))).isInstanceOf(Unknown.class);
        assertThat(mapper.outcome(answer(200, "{\"status\":\"maybe\"}"))).isInstanceOf(Unknown.class);
        assertThat(mapper.outcome(answer(200, "{\"status\":\"approved\"}")))
                .isEqualTo(new Unknown("approved without an acquirer reference"));
    }

    @ParameterizedTest
    @MethodSource("mappers")
    void otherClientErrorsAreHardInvalidRequests(AcquirerMapper mapper) {
        for (int status : new int[] {400, 409, 422}) {
            assertThat(mapper.outcome(answer(status, "{\"code\":\"validation_failed\"}")))
                    .isEqualTo(new Declined("invalid_request", DeclineKind.HARD));
        }
    }

    @ParameterizedTest
    @MethodSource("mappers")
    void theAuthorizationCarriesTheCardButNeverPrintsIt(AcquirerMapper mapper) {
        var card = new VaultedCard(UUID.randomUUID(), UUID.randomUUID(), new Sensitive("4242424242424242"), null);

        AcquirerRequest request = mapper.authorize(new Authorization("pay-1", 1250, "EUR", card, 12, 2030));

        JsonNode body = Json.parse(request.body());
        assertThat(body.get("reference").asString()).isEqualTo("pay-1");
        assertThat(body.get("amount").asLong()).isEqualTo(1250);
        assertThat(body.get("card").get("number").asString()).isEqualTo("4242424242424242");
        assertThat(body.get("card").has("cvc")).isFalse();
        assertThat(request.toString()).doesNotContain("4242424242424242").isEqualTo("authorize (POST /authorizations)");
    }

    @ParameterizedTest
    @MethodSource("mappers")
    void referencesAreEscapedInPaths(AcquirerMapper mapper) {
        assertThat(mapper.inquire("a b/c?d").path()).isEqualTo("/transactions/a%20b%2Fc%3Fd");
        assertThat(mapper.voidAuthorization("x").path()).isEqualTo("/authorizations/x/void");
    }
}
