package dev.payrail.payment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.payrail.support.Http;
import dev.payrail.support.IntegrationTest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Seeded random request bodies (set {@code -Dpayrail.fuzz.seed=N} to replay a failure; the seed is in every
 * assertion message). Whatever arrives: never a 5xx, every refusal is problem+json, and the payments table grows
 * by exactly the number of 201 answers.
 */
@IntegrationTest
class PaymentInputFuzzIT {

    private static final int REQUESTS = 400;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void randomBodiesNeverCauseAServerErrorAndOnlyAcceptedOnesCreatePayments() {
        long seed = Long.getLong("payrail.fuzz.seed", new Random().nextLong());
        Random random = new Random(seed);
        Http http = new Http(port);
        String batch = "fuzz-" + UUID.randomUUID() + "-";
        long before = jdbc.sql("select count(*) from payments").query(Long.class).single();
        int created = 0;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            String body = randomBody(random);
            HttpResponse<String> response = http.post("/v1/payments",
                    Map.of("X-API-Key", Http.DEMO_KEY, "Content-Type", "application/json", "Idempotency-Key", batch + i),
                    body);
            int status = response.statusCode();
            if (status == 201) {
                created++;
            } else if (status < 400 || status >= 500
                    || !response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
                failures.add(status + " for " + abbreviate(body) + " -> " + abbreviate(response.body()));
            }
        }
        long after = jdbc.sql("select count(*) from payments").query(Long.class).single();
        assertThat(failures).as("seed %d", seed).isEmpty();
        assertThat(after - before).as("seed %d: rows created vs 201 answers", seed).isEqualTo(created);
        assertThat(created).as("seed %d: some random bodies should be valid", seed).isPositive();
    }

    private static String randomBody(Random random) {
        StringBuilder json = new StringBuilder("{");
        List<String> parts = new ArrayList<>();
        maybe(random, parts, "\"amount\":" + randomValue(random, "1999"));
        maybe(random, parts, "\"currency\":" + randomValue(random, pick(random, "\"USD\"", "\"eur\"", "\"JPY\"")));
        maybe(random, parts, "\"order_id\":" + randomValue(random, "\"order-" + random.nextInt(1000) + "\""));
        if (random.nextInt(4) == 0) {
            parts.add("\"description\":" + randomValue(random, "\"a description\""));
        }
        if (random.nextInt(4) == 0) {
            parts.add("\"customer\":" + randomValue(random,
                    "{\"email\":\"a@b.example\",\"ip\":\"198.51.100.4\",\"country\":\"FR\"}"));
        }
        if (random.nextInt(4) == 0) {
            parts.add("\"payment_method\":" + randomValue(random,
                    "{\"type\":\"card\",\"number\":\"4242424242424242\",\"exp_month\":7,\"exp_year\":2031,\"cvc\":\"321\"}"));
        }
        if (random.nextInt(6) == 0) {
            parts.add("\"unexpected_" + random.nextInt(10) + "\":" + randomValue(random, "1"));
        }
        json.append(String.join(",", parts)).append('}');
        String text = json.toString();
        return switch (random.nextInt(12)) {
            case 0 -> text.substring(0, random.nextInt(text.length())); // truncated
            case 1 -> text.replace(':', random.nextBoolean() ? '=' : ' '); // broken syntax
            case 2 -> "[" + text + "]";
            default -> text;
        };
    }

    /** Mostly the valid value; otherwise a value of another type or an edge value. */
    private static String randomValue(Random random, String valid) {
        if (random.nextInt(3) != 0) {
            return valid;
        }
        return pick(random, "null", "true", "0", "-1", "1.5", "1e3", "1000000000001", "99999999999999999999999",
                "\"\"", "\"   \"", "\"" + "x".repeat(300) + "\"", "\"\\u0000\"", "\"\\ud83d\\udcb8\"", "[]", "[1,2]",
                "{}", "{\"nested\":{\"deeper\":[null]}}", "\"4242424242424242\"", "-0", "\"NaN\"");
    }

    private static void maybe(Random random, List<String> parts, String part) {
        if (random.nextInt(10) != 0) {
            parts.add(part);
        }
    }

    private static String pick(Random random, String... options) {
        return options[random.nextInt(options.length)];
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
