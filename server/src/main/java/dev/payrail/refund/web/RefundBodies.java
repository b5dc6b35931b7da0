package dev.payrail.refund.web;

import dev.payrail.acquirer.RefundRequest.SimulatedOutcome;
import dev.payrail.payment.PaymentRequestParser;
import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.ApiProblem.FieldProblem;
import dev.payrail.platform.JsonFields;
import dev.payrail.refund.RefundService.RefundOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads the refund request bodies of both APIs field by field and reports every problem at once (422
 * {@code validation_failed}, like the payment intake); messages never echo a submitted value.
 */
final class RefundBodies {

    static final int REASON_LENGTH_MAX = 1000;

    private RefundBodies() {}

    /** What the merchant API takes: {@code {amount, reason?}}. */
    static RefundOrder merchant(UUID paymentId, @Nullable JsonNode body) {
        return order(paymentId, body, (object, errors) -> null);
    }

    /** The admin {@code POST …/refunds}: {@code {amount, reason?, result?}}, result {@code succeeded | failed}. */
    static RefundOrder adminRefund(UUID paymentId, @Nullable JsonNode body) {
        return order(paymentId, body, RefundBodies::result);
    }

    /** The admin {@code POST …/simulate-refund}: {@code {amount, reason?, success}}. */
    static RefundOrder simulatedRefund(UUID paymentId, @Nullable JsonNode body) {
        return order(paymentId, body, RefundBodies::success);
    }

    /** Reads the outcome a refund is asked to have (a test's or an operator's), or null; a bad field goes to errors. */
    @FunctionalInterface
    private interface OutcomeField {
        @Nullable SimulatedOutcome read(JsonNode body, List<FieldProblem> errors);
    }

    /** {@code {amount, reason?}} and the variant's outcome field, or 422 naming every problem. */
    private static RefundOrder order(UUID paymentId, @Nullable JsonNode body, OutcomeField outcomeField) {
        JsonNode object = JsonFields.object(body);
        List<FieldProblem> errors = new ArrayList<>();
        Long amount = PaymentRequestParser.amount(object.get("amount"), errors);
        String reason = JsonFields.string(object.get("reason"), "reason", false, REASON_LENGTH_MAX, errors);
        SimulatedOutcome outcome = outcomeField.read(object, errors);
        refuseIfAny(errors);
        return new RefundOrder(paymentId, amount, reason, outcome);
    }

    /** {@code result}: {@code succeeded | failed} (or the prototype's {@code success | failure}), optional. */
    private static @Nullable SimulatedOutcome result(JsonNode body, List<FieldProblem> errors) {
        String result = JsonFields.string(body.get("result"), "result", false, 16, errors);
        if (result == null) {
            return null;
        }
        return switch (result) {
            case "succeeded", "success" -> SimulatedOutcome.SUCCEEDED;
            case "failed", "failure" -> SimulatedOutcome.FAILED;
            default -> {
                errors.add(new FieldProblem("result", "invalid_value", "Must be succeeded or failed."));
                yield null;
            }
        };
    }

    /** {@code success}: true or false, required. */
    private static @Nullable SimulatedOutcome success(JsonNode body, List<FieldProblem> errors) {
        Boolean success = JsonFields.bool(body.get("success"), "success", null, errors);
        return success == null ? null : success ? SimulatedOutcome.SUCCEEDED : SimulatedOutcome.FAILED;
    }

    /** A payment id from the path; anything else names no payment. */
    static Optional<UUID> paymentId(String value) {
        try {
            return Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static ApiProblem paymentNotFound() {
        return ApiProblem.notFound("payment_not_found", "No payment with this id.");
    }


    private static void refuseIfAny(List<FieldProblem> errors) {
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
    }
}
