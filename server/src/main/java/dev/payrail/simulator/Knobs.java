package dev.payrail.simulator;

import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.ApiProblem.FieldProblem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

/**
 * The dials of one simulator, changed at run time ({@code PUT /simulators/acquirers/{name}/knobs}). Latency is
 * uniform in {@code latencyMeanMs ± latencySpreadMs}. For cards that are not test cards, {@code errorRate} of the
 * authorizations fail with a 5xx, {@code timeoutRate} answer only after {@code lateAnswerMs} (longer than the
 * caller's time-out), and {@code approvalRate} of the rest are approved. Test cards ignore the rates, so they
 * stay deterministic; the switches (fail next N, time out next N, down) apply to every request.
 */
record Knobs(int latencyMeanMs, int latencySpreadMs, double approvalRate, double errorRate, double timeoutRate,
             int lateAnswerMs) {

    static final int LATENCY_MS_MAX = 60_000;
    static final int LATE_ANSWER_MS_MAX = 600_000;

    private static final Set<String> FIELDS = Set.of("latency_mean_ms", "latency_spread_ms", "approval_rate",
            "error_rate", "timeout_rate", "late_answer_ms");

    Duration lateAnswer() {
        return Duration.ofMillis(lateAnswerMs);
    }

    /**
     * These knobs with the fields present in {@code body} changed; fields left out keep their value. Every bad
     * field is reported at once (422 {@code validation_failed}), and then nothing changes.
     */
    Knobs with(JsonNode body) {
        if (!body.isObject()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "invalid_body",
                    "The body must be a JSON object.");
        }
        List<FieldProblem> errors = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            if (!FIELDS.contains(field.getKey())) {
                errors.add(new FieldProblem(field.getKey(), "unknown_field", "Not a knob; knobs are " + FIELDS + "."));
            }
        }
        Knobs changed = new Knobs(
                integer(body, "latency_mean_ms", latencyMeanMs, LATENCY_MS_MAX, errors),
                integer(body, "latency_spread_ms", latencySpreadMs, LATENCY_MS_MAX, errors),
                rate(body, "approval_rate", approvalRate, errors),
                rate(body, "error_rate", errorRate, errors),
                rate(body, "timeout_rate", timeoutRate, errors),
                integer(body, "late_answer_ms", lateAnswerMs, LATE_ANSWER_MS_MAX, errors));
        if (errors.isEmpty() && changed.errorRate + changed.timeoutRate > 1.0) {
            errors.add(new FieldProblem("error_rate", "out_of_range",
                    "error_rate and timeout_rate together must not exceed 1."));
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        return changed;
    }

    private static int integer(JsonNode body, String field, int current, int max, List<FieldProblem> errors) {
        JsonNode node = body.get(field);
        if (node == null) {
            return current;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 0 || node.intValue() > max) {
            errors.add(new FieldProblem(field, "out_of_range", "Must be a whole number from 0 to " + max + "."));
            return current;
        }
        return node.intValue();
    }

    private static double rate(JsonNode body, String field, double current, List<FieldProblem> errors) {
        JsonNode node = body.get(field);
        if (node == null) {
            return current;
        }
        if (!node.isNumber() || !(node.doubleValue() >= 0.0 && node.doubleValue() <= 1.0)) {
            errors.add(new FieldProblem(field, "out_of_range", "Must be a number from 0 to 1."));
            return current;
        }
        return node.doubleValue();
    }
}
