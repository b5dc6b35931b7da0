package dev.payrail.simulator;

import static org.springframework.http.MediaType.APPLICATION_JSON_VALUE;

import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.ApiProblem.FieldProblem;
import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.JsonFields;
import dev.payrail.platform.Role;
import dev.payrail.platform.Sensitive;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ObjIntConsumer;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import tools.jackson.databind.JsonNode;

/**
 * The simulators' HTTP API, {@code /simulators/acquirers/{name}/…}: what Payrail's adapters call, plus the books
 * and the knobs for tests, the console and people. No API key: the simulators stand in for external acquirers.
 * Mapped only on nodes with the {@code simulators} role. Messages never echo a submitted value, and the card
 * number is never logged or stored (the books keep its last 4 digits).
 */
@RestController
@ConditionalOnRole(Role.SIMULATORS)
@RequestMapping(path = "/simulators/acquirers", produces = APPLICATION_JSON_VALUE)
@Tag(name = "Simulators", description = "Acquirer simulators (role simulators); no authentication")
@RequiredArgsConstructor
class SimulatorController {

    private static final int REFERENCE_LENGTH_MAX = 255;
    private static final long AMOUNT_MAX = 1_000_000_000_000L;
    private static final int LEDGER_LIMIT_MAX = 10_000;
    private static final int SWITCH_COUNT_MAX = 1_000_000;
    private static final int DOWN_SECONDS_MAX = 86_400;

    private final Simulators simulators;
    private final Clock clock;

    /** A simulator's knobs and switches as {@code GET …/knobs} shows them. */
    record KnobsView(String acquirer, int latencyMeanMs, int latencySpreadMs, double approvalRate, double errorRate,
                     double timeoutRate, int lateAnswerMs, int failNext, int timeoutNext, @Nullable Instant downUntil,
                     long requestsReceived) {

        static KnobsView of(SimulatedAcquirer acquirer) {
            Knobs k = acquirer.knobs();
            return new KnobsView(acquirer.name(), k.latencyMeanMs(), k.latencySpreadMs(), k.approvalRate(),
                    k.errorRate(), k.timeoutRate(), k.lateAnswerMs(), acquirer.failNextCount(),
                    acquirer.timeoutNextCount(), acquirer.downUntil().orElse(null), acquirer.requestsReceived());
        }
    }

    /** One acquirer's books: totals per kind, status and currency, and the newest rows. */
    record LedgerView(String acquirer, List<SimulatorLedger.Total> totals, List<LedgerEntry> entries) {}

    @Operation(summary = "Every simulated acquirer with its knobs")
    @GetMapping
    List<KnobsView> list() {
        return simulators.all().values().stream().map(KnobsView::of).toList();
    }

    @Operation(summary = "Authorize: idempotent by reference (a repeat answers the first outcome)")
    @PostMapping(path = "/{name}/authorizations", consumes = APPLICATION_JSON_VALUE)
    ResponseEntity<Object> authorize(@PathVariable String name, @RequestBody JsonNode body) {
        return reply(simulators.authorize(name, command(name, body, SimulatorController::authorizeCommand)));
    }

    @Operation(summary = "Void an approved authorization that has no refund")
    @PostMapping(path = "/{name}/authorizations/{reference}/void")
    ResponseEntity<Object> voidAuthorization(@PathVariable String name, @PathVariable String reference) {
        return reply(simulators.voidAuthorization(name, reference));
    }

    @Operation(summary = "Refund (part of) an approved authorization: idempotent by the refund's reference")
    @PostMapping(path = "/{name}/refunds", consumes = APPLICATION_JSON_VALUE)
    ResponseEntity<Object> refund(@PathVariable String name, @RequestBody JsonNode body) {
        return reply(simulators.refund(name, command(name, body, SimulatorController::refundCommand)));
    }

    @Operation(summary = "Status inquiry: what the books hold for a reference (authorization or refund)")
    @GetMapping("/{name}/transactions/{reference}")
    ResponseEntity<Object> inquire(@PathVariable String name, @PathVariable String reference) {
        return reply(simulators.inquire(name, reference));
    }

    @Operation(summary = "The acquirer's books: totals and the newest entries")
    @GetMapping("/{name}/ledger")
    LedgerView ledger(@PathVariable String name, @RequestParam(defaultValue = "100") int limit) {
        SimulatedAcquirer acquirer = simulators.acquirer(name);
        if (limit < 1 || limit > LEDGER_LIMIT_MAX) {
            throw ApiProblem.validation(List.of(new FieldProblem("limit", "out_of_range",
                    "Must be between 1 and " + LEDGER_LIMIT_MAX + ".")));
        }
        return simulators.ledger(acquirer.name(), limit);
    }

    @Operation(summary = "Knobs and switches")
    @GetMapping("/{name}/knobs")
    KnobsView knobs(@PathVariable String name) {
        return KnobsView.of(simulators.acquirer(name));
    }

    @Operation(summary = "Change knobs; fields left out keep their value; 422 names every bad field")
    @PutMapping(path = "/{name}/knobs", consumes = APPLICATION_JSON_VALUE)
    KnobsView changeKnobs(@PathVariable String name, @RequestBody JsonNode body) {
        SimulatedAcquirer acquirer = simulators.acquirer(name);
        acquirer.changeKnobs(body);
        return KnobsView.of(acquirer);
    }

    @Operation(summary = "Fail the next N authorizations, refunds and voids with a 5xx ({\"count\": N})")
    @PostMapping(path = "/{name}/knobs/fail-next", consumes = APPLICATION_JSON_VALUE)
    KnobsView failNext(@PathVariable String name, @RequestBody JsonNode body) {
        return flip(name, body, "count", SWITCH_COUNT_MAX, SimulatedAcquirer::failNext);
    }

    @Operation(summary = "Answer the next N authorizations late, after the caller's time-out ({\"count\": N})")
    @PostMapping(path = "/{name}/knobs/timeout-next", consumes = APPLICATION_JSON_VALUE)
    KnobsView timeoutNext(@PathVariable String name, @RequestBody JsonNode body) {
        return flip(name, body, "count", SWITCH_COUNT_MAX, SimulatedAcquirer::timeoutNext);
    }

    @Operation(summary = "Be down (answer 503 unavailable, do nothing) for T seconds ({\"seconds\": T}; 0: up)")
    @PostMapping(path = "/{name}/knobs/down", consumes = APPLICATION_JSON_VALUE)
    KnobsView down(@PathVariable String name, @RequestBody JsonNode body) {
        return flip(name, body, "seconds", DOWN_SECONDS_MAX, (acquirer, seconds) ->
                acquirer.downUntil(seconds == 0 ? null : clock.instant().plus(Duration.ofSeconds(seconds))));
    }

    /** Sets a switch from the whole number {@code field} (0 to {@code max}) of the body; answers the knobs. */
    private KnobsView flip(String name, JsonNode body, String field, int max, ObjIntConsumer<SimulatedAcquirer> change) {
        SimulatedAcquirer acquirer = simulators.acquirer(name);
        change.accept(acquirer, whole(JsonFields.object(body), field, max));
        return KnobsView.of(acquirer);
    }

    @Operation(summary = "Back to the acquirer's default knobs, every switch off")
    @PostMapping("/{name}/knobs/reset")
    KnobsView reset(@PathVariable String name) {
        SimulatedAcquirer acquirer = simulators.acquirer(name);
        acquirer.reset();
        return KnobsView.of(acquirer);
    }

    /**
     * A late answer whose caller has already given up — which is what a late answer is for. Nobody is left to
     * tell, and it is not a fault of this node, so it is neither answered nor logged as one.
     */
    @ExceptionHandler(AsyncRequestNotUsableException.class)
    void callerGaveUp() {
        // the books already hold the outcome; an inquiry finds it
    }

    private static ResponseEntity<Object> reply(Simulators.Reply reply) {
        return ResponseEntity.status(reply.status()).body(reply.body());
    }


    /** The body read as a command for an acquirer that exists: an unknown name is 404 before the body is looked at. */
    private <C> C command(String name, @Nullable JsonNode body, Function<JsonNode, C> parse) {
        simulators.acquirer(name);
        return parse.apply(JsonFields.object(body));
    }

    private static Simulators.AuthorizeCommand authorizeCommand(JsonNode body) {
        List<FieldProblem> errors = new ArrayList<>();
        String reference = reference(body, "reference", errors);
        long amount = amount(body, errors);
        String currency = currency(body, errors);
        JsonNode card = body.get("card");
        String number = null;
        Integer expMonth = null;
        Integer expYear = null;
        if (card != null && !card.isNull() && !card.isObject()) {
            errors.add(new FieldProblem("card", "invalid_type", "Must be an object."));
        } else if (card != null && card.isObject()) {
            number = JsonFields.string(card.get("number"), "card.number", true, 19, errors);
            if (number != null && !number.matches("[0-9]{12,19}")) {
                errors.add(new FieldProblem("card.number", "invalid_format", "Must be 12 to 19 digits."));
            }
            expMonth = JsonFields.integer(card.get("exp_month"), "card.exp_month", 1, 12, errors);
            expYear = JsonFields.integer(card.get("exp_year"), "card.exp_year", 2000, 2100, errors);
            String cvc = JsonFields.string(card.get("cvc"), "card.cvc", false, 4, errors);
            if (cvc != null && !cvc.matches("[0-9]{3,4}")) {
                errors.add(new FieldProblem("card.cvc", "invalid_format", "Must be 3 or 4 digits."));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        // Without a card (a payment made without one) the approval rate decides.
        return new Simulators.AuthorizeCommand(reference, amount, currency,
                number == null ? null : new Sensitive(number), expMonth == null ? 0 : expMonth,
                expYear == null ? 0 : expYear);
    }

    private static Simulators.RefundCommand refundCommand(JsonNode body) {
        List<FieldProblem> errors = new ArrayList<>();
        String reference = reference(body, "reference", errors);
        String authorizationReference = reference(body, "authorization_reference", errors);
        long amount = amount(body, errors);
        String currency = currency(body, errors);
        String simulatedOutcome = JsonFields.string(body.get("simulated_outcome"), "simulated_outcome", false, 9, errors);
        if (simulatedOutcome != null && !simulatedOutcome.equals("succeeded") && !simulatedOutcome.equals("failed")) {
            errors.add(new FieldProblem("simulated_outcome", "invalid_value", "Must be succeeded or failed."));
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        return new Simulators.RefundCommand(reference, authorizationReference, amount, currency, simulatedOutcome);
    }

    private static String reference(JsonNode body, String field, List<FieldProblem> errors) {
        return JsonFields.string(body.get(field), field, true, REFERENCE_LENGTH_MAX, errors);
    }

    private static long amount(JsonNode body, List<FieldProblem> errors) {
        JsonNode node = body.get("amount");
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()
                || node.longValue() < 1 || node.longValue() > AMOUNT_MAX) {
            errors.add(new FieldProblem("amount", "out_of_range", "Must be a whole number from 1 to " + AMOUNT_MAX + "."));
            return 0;
        }
        return node.longValue();
    }

    private static String currency(JsonNode body, List<FieldProblem> errors) {
        String currency = JsonFields.string(body.get("currency"), "currency", true, 3, errors);
        if (currency != null && !currency.matches("[A-Z]{3}")) {
            errors.add(new FieldProblem("currency", "invalid_format", "Must be three upper-case letters."));
        }
        return currency;
    }

    private static int whole(JsonNode body, String field, int max) {
        List<FieldProblem> errors = new ArrayList<>();
        Integer value = JsonFields.integer(body.get(field), field, 0, max, errors);
        if (value == null) {
            throw ApiProblem.validation(errors);
        }
        return value;
    }
}
