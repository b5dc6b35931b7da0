package dev.payrail.payment;

import static dev.payrail.support.Http.DEMO_KEY;
import static dev.payrail.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.payrail.support.ApiTestBase;
import dev.payrail.support.Http;
import dev.payrail.support.IntegrationTest;
import dev.payrail.support.Json;
import dev.payrail.support.RawHttp;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bytes that are not what they seem never reach PostgreSQL: repeated or non-ASCII idempotency keys, request
 * bodies that are not strict UTF-8, and query strings with NUL or overlong UTF-8 are refused, and nothing is stored.
 */
@IntegrationTest
class PaymentRequestHygieneIT extends ApiTestBase {

    /** A POST of {@code body} to /v1/payments as the demo merchant, with extra header lines, over a raw socket. */
    RawHttp.Response post(String extraHeaders, byte[] body) {
        return RawHttp.exchange(port, "POST /v1/payments HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "X-API-Key: " + DEMO_KEY + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + extraHeaders, body);
    }

    @Test
    void twoIdempotencyKeysAreRefusedInsteadOfJoinedWithAComma() {
        String first = "first-" + UUID.randomUUID();
        String second = "second-" + UUID.randomUUID();
        RawHttp.Response response = post("\r\nIdempotency-Key: " + first + "\r\nIdempotency-Key: " + second,
                RawHttp.bytes(Http.SEED_BODY));
        assertProblem(response, 400, "duplicate_header");
        assertThat(jdbc.sql("select count(*) from payments where idempotency_key like ?")
                .param("%" + first.substring(6) + "%").query(Long.class).single()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"cl\u00c3\u00a9-utf8", "cl\u00e9-latin1", "tab\there"})
    void anIdempotencyKeyOutsidePrintableAsciiIsRefusedNotStoredMisDecoded(String keyBytes) {
        // Each char is one byte on the wire: "cl\u00c3\u00a9" is the UTF-8 of "clé", "cl\u00e9" its Latin-1.
        long before = paymentRows();
        RawHttp.Response response = post("\r\nIdempotency-Key: " + keyBytes + "-" + UUID.randomUUID(),
                RawHttp.bytes(Http.SEED_BODY));
        assertProblem(response, 400, "idempotency_key_invalid");
        assertThat(paymentRows()).isEqualTo(before);
    }

    static List<Arguments> bodiesThatAreNotStrictUtf8() {
        return List.of(
                Arguments.of("an overlong slash (C0 AF)", "c0af"),
                Arguments.of("a lone continuation byte", "80"),
                Arguments.of("an encoded UTF-16 surrogate", "eda080"),
                Arguments.of("a code point beyond U+10FFFF", "f4908080"),
                Arguments.of("a truncated sequence", "e282"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodiesThatAreNotStrictUtf8")
    void aBodyThatIsNotStrictUtf8IsMalformedJson(String name, String hexBytesInOrderId) {
        long before = paymentRows();
        var body = new ByteArrayOutputStream();
        body.writeBytes(RawHttp.bytes("{\"amount\":100,\"currency\":\"USD\",\"order_id\":\"a"));
        body.writeBytes(HexFormat.of().parseHex(hexBytesInOrderId));
        body.writeBytes(RawHttp.bytes("b\"}"));
        RawHttp.Response response = post("", body.toByteArray());
        assertProblem(response, 400, "malformed_json");
        assertThat(paymentRows()).isEqualTo(before);
    }

    @Test
    void aBodyInUtf16IsMalformedJsonRatherThanGuessed() {
        RawHttp.Response response = post("", Http.SEED_BODY.getBytes(StandardCharsets.UTF_16LE));
        assertProblem(response, 400, "malformed_json");
    }

    @Test
    void wellFormedNonAsciiTextIsStillAccepted() {
        String description = "caf\u00e9 \u2615 \ud83d\udcb8";
        RawHttp.Response response = post("", ("{\"amount\":100,\"currency\":\"USD\",\"order_id\":\"utf8\","
                + "\"description\":\"" + description + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(response.status()).isEqualTo(201);
        assertThat(Json.parse(response.body()).get("description").asString()).isEqualTo(description);
    }

    @ParameterizedTest
    @ValueSource(strings = {"%00", "%C0%AF", "%C0", "a%ZZ", "%ED%A0%80"})
    void aListFilterWithBytesPostgresCannotTakeIsInvalidQuery(String encodedKey) {
        RawHttp.Response response = RawHttp.exchange(port, "GET /v1/payments?idempotency_key=" + encodedKey
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + DEMO_KEY + "\r\nConnection: close", new byte[0]);
        assertProblem(response, 400, "invalid_query");
    }

    @Test
    void aListFilterThatNoStoredKeyCanMatchIsInvalidParameter() {
        assertProblem(http.get("/v1/payments?idempotency_key=cl%C3%A9", Map.of("X-API-Key", DEMO_KEY)),
                400, "invalid_parameter");
        assertProblem(http.get("/v1/payments?idempotency_key=" + "k".repeat(256), Map.of("X-API-Key", DEMO_KEY)),
                400, "invalid_parameter");
    }
}
