package dev.payrail.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.hc.core5.http.message.BasicHeader;
import org.junit.jupiter.api.Test;

/** Signatures against the Standard Webhooks specification's example, the URL guard, the retry schedule. */
class WebhookRulesTest {

    @Test
    void signsLikeTheStandardWebhooksSpecificationExample() {
        // The example of the specification's reference libraries.
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        byte[] body = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
        String signature = Signatures.standard(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body);
        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        assertThat(Signatures.verifyStandard(secret, "v1,bogus " + signature, "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330, body)).isTrue();
        assertThat(Signatures.verifyStandard(secret, signature, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265331, body))
                .isFalse();
    }

    @Test
    void newSecretsHaveTheStandardFormat() {
        String secret = Signatures.newSecret();
        assertThat(secret).startsWith("whsec_");
        assertThat(Signatures.keyOf(secret)).hasSize(32);
        assertThat(Signatures.newSecret()).isNotEqualTo(secret);
    }

    @Test
    void legacySignatureIsHexHmacOfTheBodyWithTheApiSecret() {
        // python3: hmac.new(b'secret', b'{"a":1}', hashlib.sha256).hexdigest()
        assertThat(Signatures.legacy("secret", "{\"a\":1}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("aa9e2e3575f5d7098b6caccd790888c36d5fdb63342a73bada2d6a51747a8494");
    }

    @Test
    void outsideEmbeddedModeInternalAddressesAndPlainHttpAreRefused() {
        var strict = new EndpointUrlPolicy(false, true, List.of());
        assertThat(strict.refusal("http://example.com/hook")).hasValue("Must be an https URL.");
        for (String url : List.of("https://127.0.0.1/x", "https://localhost/x", "https://10.1.2.3/x",
                "https://192.168.0.10/x", "https://172.16.5.4/x", "https://169.254.169.254/latest/meta-data",
                "https://[::1]/x", "https://[fd00::1]/x", "https://0.0.0.0/x", "https://100.64.0.1/x")) {
            assertThat(strict.refusal(url)).as(url).isPresent();
        }
        assertThat(strict.refusal("https://user:pw@example.com/x")).isPresent();
        assertThat(strict.refusal("ftp://example.com/x")).isPresent();

        var allowing = new EndpointUrlPolicy(false, false, List.of("127.0.0.1"));
        assertThat(allowing.refusal("http://127.0.0.1:9000/x")).isEmpty();
        assertThat(allowing.refusal("http://10.0.0.1/x")).isPresent();

        var embedded = new EndpointUrlPolicy(true, true, List.of());
        assertThat(embedded.refusal("http://127.0.0.1:8000/simulators/merchant/webhook")).isEmpty();
    }

    @Test
    void theResolverRefusesInternalAddressesAtConnectionTime() {
        var strict = new EndpointUrlPolicy(false, true, List.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> strict.resolver().resolve("localhost"))
                .isInstanceOf(java.net.UnknownHostException.class).hasMessageContaining("refused");
    }

    @Test
    void scheduleGrowsWithJitterHonoursRetryAfterAndEnds() {
        var schedule = new RetrySchedule(List.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5)));
        assertThat(schedule.after(1, Optional.empty())).hasValueSatisfying(d ->
                assertThat(d).isBetween(Duration.ofSeconds(5), Duration.ofMillis(5500)));
        assertThat(schedule.after(2, Optional.empty())).hasValueSatisfying(d ->
                assertThat(d).isBetween(Duration.ofMinutes(5), Duration.ofSeconds(330)));
        assertThat(schedule.after(1, Optional.of(Duration.ofMinutes(1)))).hasValue(Duration.ofMinutes(1));
        assertThat(schedule.after(3, Optional.empty())).isEmpty();
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(WebhookSender.retryAfter(new BasicHeader("Retry-After", "120"), now)).hasValue(Duration.ofSeconds(120));
        assertThat(WebhookSender.retryAfter(new BasicHeader("Retry-After", "Thu, 01 Jan 2026 00:01:00 GMT"), now))
                .hasValue(Duration.ofMinutes(1));
        assertThat(WebhookSender.retryAfter(new BasicHeader("Retry-After", "soon"), now)).isEmpty();
        assertThat(WebhookSender.retryAfter(null, now)).isEmpty();
    }
}
