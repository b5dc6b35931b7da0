package dev.payrail.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.Sensitive;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class PaymentRequestParserTest {

    private final JsonMapper json = JsonMapper.builder().build();
    private final PaymentRequestParser parser =
            new PaymentRequestParser(Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC));

    @Test
    void seedBodyIsValidAndCurrencyIsUpperCased() {
        PaymentRequest request = parser.parse(json.readTree("{\"amount\":100,\"currency\":\"usd\",\"order_id\":\"test\"}"));
        assertThat(request.amount()).isEqualTo(100);
        assertThat(request.currency()).isEqualTo("USD");
        assertThat(request.card()).isNull();
    }

    @Test
    void cardExpiredLastMonthIsRefusedAndThisMonthIsAccepted() {
        String body = "{\"amount\":1,\"currency\":\"EUR\",\"order_id\":\"o\",\"payment_method\":{\"type\":\"card\","
                + "\"number\":\"4242424242424242\",\"exp_month\":%d,\"exp_year\":2026,\"cvc\":\"123\"}}";
        assertThatThrownBy(() -> parser.parse(json.readTree(body.formatted(10))))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.errors())
                        .anySatisfy(e -> assertThat(e.code()).isEqualTo("card_expired")));
        assertThat(parser.parse(json.readTree(body.formatted(11))).card().last4()).isEqualTo("4242");
    }

    @Test
    void luhnCheckDigitIsVerified() {
        assertThat(PaymentRequestParser.luhnValid("4242424242424242")).isTrue();
        assertThat(PaymentRequestParser.luhnValid("4242424242424241")).isFalse();
        assertThat(PaymentRequestParser.luhnValid("5555555555554444")).isTrue();
    }

    @Test
    void ipAddressesOfBothFamiliesAreRecognisedWithoutLookups() {
        assertThat(PaymentRequestParser.isIpAddress("203.0.113.7")).isTrue();
        assertThat(PaymentRequestParser.isIpAddress("2001:db8::1")).isTrue();
        assertThat(PaymentRequestParser.isIpAddress("256.1.1.1")).isFalse();
        assertThat(PaymentRequestParser.isIpAddress("example.com")).isFalse();
    }

    @Test
    void activeCurrenciesOnlyInAnyCase() {
        assertThat(Currencies.active("jpy")).hasValue("JPY");
        assertThat(Currencies.active("DEM")).isEmpty();
        assertThat(Currencies.active("XAU")).isEmpty();
        assertThat(Currencies.active("ZZZ")).isEmpty();
    }

    @Test
    void sensitiveValuesAreMaskedWhenPrinted() {
        var card = new PaymentRequest.Card(new Sensitive("4242424242424242"), 12, 2030, new Sensitive("123"));
        assertThat(card.toString()).doesNotContain("4242424242424242").doesNotContain("123");
    }
}
