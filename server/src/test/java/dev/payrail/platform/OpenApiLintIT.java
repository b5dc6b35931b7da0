package dev.payrail.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.payrail.payment.PaymentStatus;
import dev.payrail.refund.RefundStatus;
import dev.payrail.support.ApiTestBase;
import dev.payrail.support.IntegrationTest;
import dev.payrail.support.Json;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI description the running server serves is exact enough for a generated client, and passes
 * {@code redocly lint} with the recommended rules: written to target/openapi.json and linted by the npm package
 * {@code @redocly/cli} (pinned in server/src/test/node/redocly-check, installed by {@code ./mvnw verify} from its
 * package-lock.json, run on the machine's Node.js). Any error fails the build; warnings are printed.
 */
@IntegrationTest
class OpenApiLintIT extends ApiTestBase {

    static final Path CHECK = Path.of(System.getProperty("payrail.test.redocly", "src/test/node/redocly-check"));
    static final Path DESCRIPTION = Path.of(System.getProperty("payrail.test.openapi", "target/openapi.json"));

    @Test
    void theDescriptionPassesRedoclysRecommendedRules() throws Exception {
        HttpResponse<String> docs = http.get("/v3/api-docs", Map.of());
        assertThat(docs.statusCode()).isEqualTo(200);
        Files.createDirectories(DESCRIPTION.toAbsolutePath().getParent());
        Files.writeString(DESCRIPTION, docs.body());

        Process lint = new ProcessBuilder("node", CHECK.resolve("node_modules/@redocly/cli/bin/cli.js").toString(),
                "lint", "--extends=recommended", "--format=summary", DESCRIPTION.toAbsolutePath().toString())
                .directory(CHECK.toFile()).redirectErrorStream(true).start();
        String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(lint.waitFor(180, TimeUnit.SECONDS)).as("redocly finished").isTrue();
        System.out.println("redocly lint --extends=recommended target/openapi.json:\n" + output);
        assertThat(output).as(output).doesNotContainPattern("(?m)^error ");
        assertThat(lint.exitValue()).as(output).isZero();
        Matcher warnings = Pattern.compile("You have (\\d+) warnings?").matcher(output);
        System.out.println("redocly warnings: " + (warnings.find() ? warnings.group(1) : "0"));
    }

    @Test
    void everyMerchantAndAdminRouteNamesItsSecurityAndProblemAnswers() {
        JsonNode description = description();
        List<String> routes = new ArrayList<>();
        description.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            String route = op.getKey().toUpperCase() + " " + path.getKey();
            boolean admin = path.getKey().startsWith("/admin-api/") || path.getKey().startsWith("/api/admin-api/");
            boolean merchant = path.getKey().startsWith("/v1/") || path.getKey().startsWith("/payments");
            if (!admin && !merchant) {
                return;
            }
            routes.add(route);
            JsonNode operation = op.getValue();
            assertThat(operation.get("security").get(0).has(admin ? "adminToken" : "apiKey")).as(route).isTrue();
            JsonNode responses = operation.get("responses");
            assertThat(responses.properties().stream().anyMatch(r -> r.getKey().startsWith("2"))).as(route).isTrue();
            for (String status : new String[] {"400", "401", "500", "503"}) {
                assertThat(problemSchema(responses.get(status))).as(route + " " + status).isNotNull();
            }
            assertThat(codes(responses.get("401"))).as(route)
                    .containsAnyOf("admin_token_missing", "api_key_missing");
            if (path.getKey().contains("{")) {
                assertThat(problemSchema(responses.get("404"))).as(route + " 404").isNotNull();
            }
            if (operation.has("requestBody")) {
                assertThat(codes(responses.get("422"))).as(route).contains("validation_failed");
                assertThat(codes(responses.get("413"))).as(route).containsExactly("body_too_large");
            }
        }));
        assertThat(routes).contains("GET /admin-api/payments", "PATCH /admin-api/payments/{paymentId}",
                "POST /admin-api/merchants", "GET /api/admin-api/payments", "POST /v1/payments",
                "GET /v1/payments/{paymentId}", "POST /v1/payments/{paymentId}/refunds", "GET /v1/events");
        assertThat(description.get("paths").has("/error")).isFalse();
        assertThat(codes(description.at("/paths/~1admin-api~1payments~1{paymentId}/patch/responses/409")))
                .containsExactlyInAnyOrder("illegal_transition", "manual_approval_refused");
        assertThat(codes(description.at("/paths/~1admin-api~1payments~1{paymentId}~1refunds/post/responses/409")))
                .containsExactlyInAnyOrder("payment_not_refundable", "refund_exceeds_amount");
    }

    @Test
    void statusesAreEnumsAndAnswerFieldsAreRequired() {
        JsonNode schemas = description().get("components").get("schemas");
        String[] paymentStatuses = Arrays.stream(PaymentStatus.values()).map(PaymentStatus::wireName).toArray(String[]::new);
        String[] refundStatuses = Arrays.stream(RefundStatus.values()).map(RefundStatus::wireName).toArray(String[]::new);
        assertThat(strings(schemas.at("/PaymentView/properties/status/enum"))).containsExactly(paymentStatuses);
        assertThat(strings(schemas.at("/AdminPayment/properties/status/enum"))).containsExactly(paymentStatuses);
        assertThat(strings(schemas.at("/RefundView/properties/status/enum"))).containsExactly(refundStatuses);
        assertThat(strings(schemas.at("/AdminRefund/properties/status/enum"))).containsExactly(refundStatuses);

        assertThat(strings(schemas.at("/AdminPayment/required")))
                .contains("payment_id", "status", "amount", "merchant_webhook_url", "created_at");
        assertThat(strings(schemas.at("/PaymentList/required")))
                .containsExactlyInAnyOrder("items", "total", "limit", "offset", "total_is_estimate");
        // null where Java says it may be, and only there
        assertThat(strings(schemas.at("/PaymentView/properties/description/type"))).contains("null");
        assertThat(schemas.at("/PaymentView/properties/amount/type").asString()).isEqualTo("integer");
        // request bodies keep what they declare: only the fields a client must send
        assertThat(strings(schemas.at("/CreatePayment/required"))).containsExactlyInAnyOrder("amount", "currency", "order_id");
        assertThat(strings(schemas.at("/SetPaymentStatus/required"))).containsExactly("status");
        assertThat(strings(schemas.at("/Problem/required"))).contains("type", "title", "status", "code");
    }

    private JsonNode description() {
        HttpResponse<String> docs = http.get("/v3/api-docs", Map.of());
        assertThat(docs.statusCode()).isEqualTo(200);
        return Json.parse(docs.body());
    }

    private static JsonNode problemSchema(JsonNode response) {
        if (response == null || response.isMissingNode()) {
            return null;
        }
        JsonNode schema = response.at("/content/application~1problem+json/schema");
        return schema.isMissingNode() ? null : schema;
    }

    private static List<String> codes(JsonNode response) {
        JsonNode schema = problemSchema(response);
        assertThat(schema).isNotNull();
        return strings(schema.at("/allOf/1/properties/code/enum"));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(value -> values.add(value.asString()));
        } else if (array.isString()) {
            values.add(array.asString());
        }
        return values;
    }
}
