package dev.payrail.simulator;

import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.Ids;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import dev.payrail.platform.Sensitive;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The simulated acquirers' operations: authorize, refund, void and inquire, each idempotent by the caller's
 * reference and booked in {@link SimulatorLedger}. Every operation first counts the request, then answers
 * "unavailable" while the acquirer is down (having booked nothing), then waits its latency, then acts.
 *
 * <p>An authorization whose answer takes longer than a second (a late one) is booked {@code pending} the moment it
 * arrives and settled when the simulated work is done, so an inquiry while that answer is on its way says
 * "pending", never "not found": a caller that then cascaded elsewhere could charge the customer twice. A quicker
 * one is booked once, decided (one write, not two: the simulators share the database in embedded mode); an
 * inquiry within that second may say "not found", which Payrail believes only well after its attempt
 * ({@code PAYRAIL_PROCESSING_NOT_FOUND_AFTER}), as it must of any acquirer.
 */
@Service
@ConditionalOnRole(Role.SIMULATORS)
class Simulators {

    /** How much later than the caller's time-out a "late" answer comes by default. */
    private static final Duration LATE_BEYOND_TIMEOUT = Duration.ofSeconds(1);

    /** Answers slower than this are booked {@code pending} before the simulated work, quicker ones only after. */
    private static final Duration BOOK_FIRST_BEYOND = Duration.ofSeconds(1);

    /** An authorization as sent; the card number is {@link Sensitive} so it never prints. */
    /** An authorization; without a card ({@code cardNumber} null) the acquirer's approval rate decides. */
    record AuthorizeCommand(String reference, long amount, String currency, @Nullable Sensitive cardNumber,
                            int expMonth, int expYear) {}

    /**
     * A refund; {@code simulatedOutcome} ("succeeded" / "failed", null: decided as usual) is the steering an
     * operator asked for through the admin API. "failed" declines the refund (hard, {@code simulated_failure});
     * "succeeded" lets the books decide as usual, so a refund beyond the authorization is still declined.
     */
    record RefundCommand(String reference, String authorizationReference, long amount, String currency,
                         @Nullable String simulatedOutcome) {}

    /** The decline code of a refund an operator asked to fail. */
    static final String SIMULATED_FAILURE = "simulated_failure";

    /** The answer to an operation, as the simulator protocol puts it. */
    record OperationAnswer(String reference, String status, @Nullable String code, @Nullable String declineType,
                           @Nullable String acquirerReference) {}

    /** An HTTP status and its body. */
    record Reply(int status, Object body) {}

    private final Map<String, SimulatedAcquirer> acquirers = new LinkedHashMap<>();
    private final SimulatorLedger ledger;
    private final TransactionTemplate transactions;
    private final Clock clock;

    Simulators(SimulatorLedger ledger, TransactionTemplate transactions, Clock clock, PayrailProperties properties) {
        this.ledger = ledger;
        this.transactions = transactions;
        this.clock = clock;
        for (SimulatorProfile profile : SimulatorProfile.values()) {
            var settings = properties.acquirers().byName().get(profile.wireName());
            Duration callerTimeout = settings == null ? Duration.ofSeconds(2) : settings.timeout();
            acquirers.put(profile.wireName(),
                    new SimulatedAcquirer(profile, callerTimeout.plus(LATE_BEYOND_TIMEOUT), new SplittableRandom()));
        }
    }

    /** The simulator of that name, or 404 {@code acquirer_not_found}. */
    SimulatedAcquirer acquirer(String name) {
        SimulatedAcquirer acquirer = acquirers.get(name);
        if (acquirer == null) {
            throw ApiProblem.notFound("acquirer_not_found", "No simulated acquirer of that name; there are "
                    + String.join(", ", acquirers.keySet()) + ".");
        }
        return acquirer;
    }

    Reply authorize(String name, AuthorizeCommand command) {
        SimulatedAcquirer acquirer = acquirer(name);
        Instant now = clock.instant();
        String number = command.cardNumber() == null ? null : command.cardNumber().value();
        var pending = new LedgerEntry(name, command.reference(), LedgerEntry.AUTHORIZATION, null, command.amount(),
                command.currency(), LedgerEntry.PENDING, null, null, acquirerReference(name),
                number == null ? null : number.substring(number.length() - 4), now, now);
        Optional<Reply> refused = refuseIfDown(acquirer, command.reference());
        if (refused.isPresent()) {
            return refused.get();
        }
        // A repeat is found when its booking conflicts with the first one (below), so looking it up first only
        // matters while a "fail / time out the next N" switch is set: deciding a repeat would spend one of those.
        // Without a switch set, every first call (nearly all of them) saves that statement.
        if (acquirer.switchesSet()) {
            Optional<LedgerEntry> first = ledger.find(name, command.reference());
            if (first.isPresent()) {
                return replay(settledIfAbandoned(acquirer, first.get()), LedgerEntry.AUTHORIZATION);
            }
        }
        Decision decision = acquirer.decideAuthorization(number, command.expMonth(), command.expYear(), now);
        if (decision.delay().compareTo(BOOK_FIRST_BEYOND) < 0) {
            // A quick answer is booked once, decided, after its latency: one write instead of two. A repeat of
            // the reference meanwhile decides too, but only the first row booked counts and both answer it.
            pause(decision.delay());
            Instant decided = clock.instant();
            var booked = new LedgerEntry(name, command.reference(), LedgerEntry.AUTHORIZATION, null, command.amount(),
                    command.currency(), decision.ledgerStatus(), decision.code(), decision.declineType(),
                    pending.acquirerReference(), pending.cardLast4(), now, decided);
            Optional<LedgerEntry> bookedFirst = ledger.claim(booked);
            if (bookedFirst.isPresent()) {
                return replay(settledIfAbandoned(acquirer, bookedFirst.get()), LedgerEntry.AUTHORIZATION);
            }
            return decision.result() == Decision.Result.ERROR ? processingError(command.reference()) : reply(booked);
        }
        // A slow answer is booked pending first, so an inquiry meanwhile says "pending", never "not found".
        Optional<LedgerEntry> earlier = ledger.claim(pending);
        if (earlier.isPresent()) {
            return replay(settledIfAbandoned(acquirer, earlier.get()), LedgerEntry.AUTHORIZATION);
        }
        pause(decision.delay());
        LedgerEntry booked = ledger.settlePending(name, command.reference(), decision.ledgerStatus(),
                decision.code(), decision.declineType(), clock.instant());
        return decision.result() == Decision.Result.ERROR && !LedgerEntry.ABANDONED_CODE.equals(booked.code())
                ? processingError(command.reference()) : reply(booked);
    }

    Reply refund(String name, RefundCommand command) {
        SimulatedAcquirer acquirer = acquirer(name);
        Instant now = clock.instant();
        var pending = new LedgerEntry(name, command.reference(), LedgerEntry.REFUND, command.authorizationReference(),
                command.amount(), command.currency(), LedgerEntry.PENDING, null, null, acquirerReference(name), null,
                now, now);
        return admit(acquirer, pending).orElseGet(() -> {
            Decision decision = acquirer.decideFollowUp();
            pause(decision.delay());
            if (decision.result() == Decision.Result.ERROR) {
                ledger.settle(name, command.reference(), LedgerEntry.DECLINED, decision.code(), decision.declineType(),
                        clock.instant());
                return processingError(command.reference());
            }
            return reply(transactions.execute(tx -> {
                // The authorization's row lock serialises refunds of one authorization, so their sum is exact.
                Optional<LedgerEntry> authorization = ledger.lockAuthorization(name, command.authorizationReference());
                @Nullable String refusal = authorization.isEmpty() ? "authorization_not_found"
                        : "failed".equals(command.simulatedOutcome()) ? SIMULATED_FAILURE
                        : refundRefusal(name, authorization.get(), command);
                return refusal == null
                        ? ledger.settle(name, command.reference(), LedgerEntry.APPROVED, null, null, clock.instant())
                        : ledger.settle(name, command.reference(), LedgerEntry.DECLINED, refusal, Decision.HARD,
                                clock.instant());
            }));
        });
    }

    /**
     * The answer when the request goes no further: "unavailable" while the acquirer is down (nothing booked), or
     * the first outcome when its reference is booked already. Empty when {@code pending} is now booked and the
     * caller carries on.
     */
    private Optional<Reply> admit(SimulatedAcquirer acquirer, LedgerEntry pending) {
        return refuseIfDown(acquirer, pending.reference())
                .or(() -> ledger.claim(pending).map(first -> replay(settledIfAbandoned(acquirer, first), pending.kind())));
    }

    private @Nullable String refundRefusal(String name, LedgerEntry authorization, RefundCommand refund) {
        if (!LedgerEntry.APPROVED.equals(authorization.status())) {
            return LedgerEntry.VOIDED.equals(authorization.status()) ? "authorization_voided" : "authorization_not_approved";
        }
        if (!authorization.currency().equals(refund.currency())) {
            return "currency_mismatch";
        }
        long refunded = ledger.refundedAmount(name, authorization.reference());
        return refund.amount() > authorization.amount() - refunded ? "amount_exceeds_remaining" : null;
    }

    /** Voids an approved authorization that has no refund; repeating a void answers approved again. */
    Reply voidAuthorization(String name, String reference) {
        SimulatedAcquirer acquirer = acquirer(name);
        Optional<Reply> refused = refuseIfDown(acquirer, reference);
        if (refused.isPresent()) {
            return refused.get();
        }
        Decision decision = acquirer.decideFollowUp();
        pause(decision.delay());
        if (decision.result() == Decision.Result.ERROR) {
            return processingError(reference);
        }
        return transactions.execute(tx -> ledger.lockAuthorization(name, reference)
                .map(authorization -> switch (authorization.status()) {
                    case LedgerEntry.APPROVED -> ledger.refundedAmount(name, reference) > 0
                            ? declined(reference, "already_refunded", Decision.HARD)
                            : voided(ledger.settle(name, reference, LedgerEntry.VOIDED, null, null, clock.instant()));
                    case LedgerEntry.VOIDED -> voided(authorization);
                    case LedgerEntry.PENDING -> declined(reference, "authorization_pending", Decision.SOFT);
                    default -> declined(reference, "not_approved", Decision.HARD);
                })
                .orElseGet(() -> notFound(reference)));
    }

    /** What the books say of a reference (authorization or refund), or 404 {@code not_found}. */
    Reply inquire(String name, String reference) {
        SimulatedAcquirer acquirer = acquirer(name);
        Optional<Reply> refused = refuseIfDown(acquirer, reference);
        if (refused.isPresent()) {
            return refused.get();
        }
        pause(acquirer.latency(acquirer.knobs()));
        return ledger.find(name, reference).map(entry -> new Reply(200, (Object) settledIfAbandoned(acquirer, entry)))
                .orElseGet(() -> notFound(reference));
    }

    /**
     * A row left {@code pending} beyond the acquirer's {@link SimulatedAcquirer#workHorizon() work horizon} was
     * abandoned: the process deciding it died (a {@code kill -9} of its node) before settling it. A real acquirer
     * does not leave an authorization open forever either; it is settled as a soft decline
     * ({@value LedgerEntry#ABANDONED_CODE}, nothing charged), so the caller's inquiry gets an answer and the
     * payment can go on. The settling is a compare-and-set: work still finishing wins if it settles first.
     */
    private LedgerEntry settledIfAbandoned(SimulatedAcquirer acquirer, LedgerEntry entry) {
        Instant now = clock.instant();
        if (!LedgerEntry.PENDING.equals(entry.status()) || entry.updatedAt().plus(acquirer.workHorizon()).isAfter(now)) {
            return entry;
        }
        return ledger.settlePending(entry.acquirer(), entry.reference(), LedgerEntry.DECLINED,
                LedgerEntry.ABANDONED_CODE, Decision.SOFT, now);
    }

    private Optional<Reply> refuseIfDown(SimulatedAcquirer acquirer, String reference) {
        acquirer.received();
        if (acquirer.isDown(clock.instant())) {
            return Optional.of(new Reply(503,
                    new OperationAnswer(reference, "unavailable", "acquirer_down", null, null)));
        }
        return Optional.empty();
    }

    /** A repeat of a booked reference: the first outcome, or 409 when the reference names another kind. */
    private static Reply replay(LedgerEntry first, String kind) {
        if (!first.kind().equals(kind)) {
            throw new ApiProblem(HttpStatus.CONFLICT, "reference_in_use",
                    "This reference was already used for a " + first.kind() + ".");
        }
        return reply(first);
    }

    private static Reply reply(LedgerEntry entry) {
        var answer = new OperationAnswer(entry.reference(), entry.status(), entry.code(), entry.declineType(),
                entry.acquirerReference());
        return new Reply(LedgerEntry.PENDING.equals(entry.status()) ? 202 : 200, answer);
    }

    private static Reply voided(LedgerEntry authorization) {
        // The void itself succeeded: "approved" is the answer to the void, the books say "voided".
        return new Reply(200, new OperationAnswer(authorization.reference(), LedgerEntry.APPROVED, null, null,
                authorization.acquirerReference()));
    }

    private static Reply declined(String reference, String code, String declineType) {
        return new Reply(200, new OperationAnswer(reference, LedgerEntry.DECLINED, code, declineType, null));
    }

    private static Reply notFound(String reference) {
        return new Reply(404, new OperationAnswer(reference, "not_found", null, null, null));
    }

    private static Reply processingError(String reference) {
        return new Reply(500, new OperationAnswer(reference, "error", Decision.PROCESSING_ERROR, null, null));
    }

    private static String acquirerReference(String name) {
        return name + "_" + Ids.next();
    }

    /** The simulated work; a virtual thread sleeps cheaply. */
    private static void pause(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    SimulatorController.LedgerView ledger(String name, int limit) {
        return new SimulatorController.LedgerView(name, ledger.totals(name), ledger.newest(name, limit));
    }

    Map<String, SimulatedAcquirer> all() {
        return acquirers;
    }
}
