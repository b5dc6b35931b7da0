package dev.payrail.processing;

import dev.payrail.acquirer.AcquirerOutcome;
import dev.payrail.acquirer.AcquirerOutcome.DeclineKind;
import dev.payrail.acquirer.AcquirerPort;
import dev.payrail.acquirer.Acquirers;
import dev.payrail.acquirer.Authorization;
import dev.payrail.payment.Payment;
import dev.payrail.payment.PaymentAttempt;
import dev.payrail.payment.PaymentAttempts;
import dev.payrail.payment.PaymentSettlements;
import dev.payrail.payment.PaymentSettlements.DecidingAttempt;
import dev.payrail.payment.PaymentStatus;
import dev.payrail.payment.Payments;
import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import dev.payrail.vault.CardVault;
import dev.payrail.vault.VaultedCard;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Takes one payment in {@code processing} as far as it can go: first settles any attempt whose outcome is not
 * known (status inquiry — never a new attempt elsewhere while one may still be approved), then offers the
 * payment to the acquirers of its route in order, cascading on a soft decline or an acquirer that cannot be
 * reached, stopping at an approval or a hard decline, and moves the payment to its final status with its event.
 *
 * <p>Safe to run twice for one payment, concurrently or after a crash: every attempt is recorded before the
 * call ({@code payment_attempts}, unique per payment and acquirer, so two workers never call the same acquirer
 * for it), acquirers are idempotent by reference (the payment id), and the final move is a compare-and-set. An
 * approval that arrives after the payment has already been settled is voided.
 */
@Component
@ConditionalOnRole(Role.PROCESSING)
@RequiredArgsConstructor
public class PaymentProcessor {

    private static final Logger log = LoggerFactory.getLogger(PaymentProcessor.class);
    /** Decline code of an acquirer that could not be reached (nothing was sent): cascading is safe. */
    static final String UNAVAILABLE = "acquirer_unavailable";
    /** Inquiry answer of an acquirer that never saw the reference. */
    static final String NOT_FOUND = "not_found";
    /** Failure reason of a payment whose card cannot be read from the vault: no acquirer was asked with it. */
    static final String CARD_UNAVAILABLE = "card_unavailable";

    private final Payments payments;
    private final PaymentAttempts attempts;
    private final PaymentSettlements settlements;
    private final RoutingPolicy routing;
    private final AttemptMetrics metrics;
    private final Acquirers acquirers;
    private final CardVault vault;
    private final Clock clock;
    private final PayrailProperties properties;

    private PayrailProperties.Processing settings() {
        return properties.processing();
    }

    /** Where the settling of an earlier, unresolved attempt left the payment. */
    private enum Settled { DECIDED, GO_ON, STILL_UNKNOWN }

    /**
     * What processing reads about a payment before it acts: its row and the attempts made so far, in the order
     * they were made. Read for a whole poll of the consumer at once ({@link #read}), it may be some time old when
     * the payment's turn comes; that is safe because nothing is decided on it alone — an attempt is started only
     * while the payment is still {@code processing} and under an attempt number and an acquirer not yet taken
     * ({@link PaymentSettlements#startAttempt}), and every move is a compare-and-set — so a payment settled or
     * attempted meanwhile is left alone, as with a fresh read.
     */
    record Snapshot(Payment payment, List<PaymentAttempt> attempts) {}

    /**
     * The snapshots of these payments in two queries (instead of two per payment); a payment that is not in the
     * database has none.
     */
    Map<UUID, Snapshot> read(Collection<UUID> paymentIds) {
        Map<UUID, List<PaymentAttempt>> made = attempts.ofAll(paymentIds);
        Map<UUID, Snapshot> read = new HashMap<>();
        payments.findAll(paymentIds).forEach((id, payment) ->
                read.put(id, new Snapshot(payment, made.getOrDefault(id, List.of()))));
        return read;
    }

    public void process(UUID paymentId) {
        process(paymentId, null);
    }

    /** As {@link #process(UUID)}, starting from a snapshot read earlier instead of reading the payment now. */
    void process(UUID paymentId, @Nullable Snapshot read) {
        Payment payment = read != null ? read.payment() : payments.find(paymentId).orElse(null);
        if (payment == null) {
            log.warn("payment {} is not in the database; ignoring its event", paymentId);
            return;
        }
        if (payment.status() != PaymentStatus.PROCESSING) {
            return; // a duplicate or redelivered message: this payment is settled
        }
        List<PaymentAttempt> made = read != null ? read.attempts() : attempts.of(paymentId);
        boolean inquired = false;
        for (PaymentAttempt attempt : made) {
            if (!attempt.outcome().isResolved()) {
                inquired = true;
                switch (settleByInquiry(payment, attempt)) {
                    case DECIDED, STILL_UNKNOWN -> {
                        return;
                    }
                    case GO_ON -> {
                        // that acquirer said no (softly) or never got it: the route goes on
                    }
                }
            }
        }
        // A fresh payment (the usual case) has no attempts: nothing was inquired, nothing to read again.
        List<PaymentAttempt> settled = inquired ? attempts.of(paymentId) : made;
        if (settled.stream().anyMatch(PaymentProcessor::endsThePayment)) {
            return; // another worker got an approval or a hard decline: it settles the payment in that transaction
        }
        if (settled.stream().anyMatch(attempt -> !attempt.outcome().isResolved())) {
            // Another worker (the consumer and the janitor may both be on a payment) started an attempt since the
            // first read: it is waiting for that acquirer's answer. Neither cascade past it nor call the route
            // exhausted; that worker, or the janitor's next round, settles it.
            return;
        }
        offer(payment, settled);
    }

    /** An approval or a hard decline decides the payment; no acquirer may be asked after it. */
    private static boolean endsThePayment(PaymentAttempt attempt) {
        return attempt.outcome() == PaymentAttempt.Outcome.APPROVED
                || (attempt.outcome() == PaymentAttempt.Outcome.DECLINED && "hard".equals(attempt.declineKind()));
    }

    private void offer(Payment payment, List<PaymentAttempt> made) {
        Set<String> tried = new HashSet<>();
        String lastAcquirer = null;
        String lastCode = null;
        boolean anyAnswered = false;
        for (PaymentAttempt attempt : made) {
            tried.add(attempt.acquirer());
            if (attempt.outcome() == PaymentAttempt.Outcome.DECLINED) {
                lastAcquirer = attempt.acquirer();
                lastCode = attempt.declineCode();
                anyAnswered |= !UNAVAILABLE.equals(attempt.declineCode()) && !"not_received".equals(attempt.declineCode());
            }
        }
        int attemptNo = made.size() + 1;
        VaultedCard card = null;
        if (payment.card() != null) {
            card = openCard(payment);
            if (card == null) {
                // Nothing is sent without the card the customer gave (an acquirer would decide on no card at all);
                // no acquirer holds an open attempt here, so giving the payment up moves no money.
                settlements.fail(payment, CARD_UNAVAILABLE);
                return;
            }
        }
        for (AcquirerPort acquirer : routing.route(payment, card)) {
            if (tried.contains(acquirer.name())) {
                continue;
            }
            if (attemptNo > settings().attemptsMax()) {
                break;
            }
            String reference = payment.paymentId().toString();
            if (!settlements.startAttempt(payment.paymentId(), attemptNo, acquirer.name(), reference)) {
                return; // another worker is on this payment right now, or has just settled it
            }
            metrics.attempted(acquirer.name());
            long started = System.nanoTime();
            AcquirerOutcome outcome = acquirer.authorize(new Authorization(reference, payment.amount(),
                    payment.currency(), card, payment.card() == null ? 0 : payment.card().expMonth(),
                    payment.card() == null ? 0 : payment.card().expYear()));
            int latencyMs = (int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            int no = attemptNo;
            switch (outcome) {
                case AcquirerOutcome.Approved approved -> {
                    settleApproved(payment, no, acquirer, approved.acquirerReference(), latencyMs);
                    return;
                }
                case AcquirerOutcome.Declined declined when declined.kind() == DeclineKind.HARD -> {
                    metrics.declined(acquirer.name(), declined.code(), "hard");
                    settlements.decline(payment, acquirer.name(), declined.code(), new DecidingAttempt(no,
                            PaymentAttempt.Outcome.DECLINED, declined.code(), "hard", null, latencyMs));
                    return;
                }
                case AcquirerOutcome.Declined declined -> {
                    metrics.declined(acquirer.name(), declined.code(), "soft");
                    attempts.resolve(payment.paymentId(), no, PaymentAttempt.Outcome.DECLINED, declined.code(),
                            "soft", null, latencyMs);
                    lastAcquirer = acquirer.name();
                    lastCode = declined.code();
                    anyAnswered |= !UNAVAILABLE.equals(declined.code());
                    attemptNo++;
                }
                case AcquirerOutcome.Pending pending -> {
                    attempts.resolve(payment.paymentId(), no, PaymentAttempt.Outcome.PENDING, null, null, null,
                            latencyMs);
                    return; // the janitor asks again later; no cascade while it may still be approved
                }
                case AcquirerOutcome.Unknown unknown -> {
                    attempts.resolve(payment.paymentId(), no, PaymentAttempt.Outcome.UNKNOWN, null, null, null,
                            latencyMs);
                    log.info("payment {}: outcome at {} unknown ({}); inquiring", payment.paymentId(),
                            acquirer.name(), unknown.reason());
                    // Ask at once: an acquirer that failed after deciding (a 5xx) already knows the answer. If it
                    // does not know yet, the janitor asks again later; no cascade until then.
                    var unresolved = new PaymentAttempt(payment.paymentId(), no, acquirer.name(), reference,
                            PaymentAttempt.Outcome.UNKNOWN, null, null, null, latencyMs, clock.instant());
                    switch (settleByInquiry(payment, unresolved)) {
                        case DECIDED, STILL_UNKNOWN -> {
                            return;
                        }
                        case GO_ON -> {
                            // settleByInquiry recorded the acquirer's soft decline; its code is the last one now
                            lastAcquirer = acquirer.name();
                            lastCode = attempts.of(payment.paymentId()).get(no - 1).declineCode();
                            anyAnswered |= !"not_received".equals(lastCode);
                            attemptNo++;
                        }
                    }
                }
            }
        }
        settleExhausted(payment, lastAcquirer, lastCode, anyAnswered);
    }

    /**
     * The payment's card from the vault, or null when it can never be read again: erased (a retention shorter than
     * processing took) or a box that does not open (moved, edited, corrupted). A box sealed under another key id
     * is a node configured with the wrong master key: that throws, so the payment waits for the operator's fix
     * (the janitor's warning says what to fix) instead of failing every payment the node touches.
     */
    private @Nullable VaultedCard openCard(Payment payment) {
        try {
            VaultedCard card = vault.open(payment.paymentId()).orElse(null);
            if (card == null) {
                log.error("payment {}: its card is no longer in the vault; failing it ({})", payment.paymentId(),
                        CARD_UNAVAILABLE);
            }
            return card;
        } catch (CardVault.VaultException e) {
            if (e.wrongKey()) {
                throw e;
            }
            log.error("payment {}: {}; failing it ({})", payment.paymentId(), e.getMessage(), CARD_UNAVAILABLE);
            return null;
        }
    }

    /** Every acquirer of the route said no softly, or none could be reached. */
    private void settleExhausted(Payment payment, @Nullable String lastAcquirer, @Nullable String lastCode,
                                 boolean anyAnswered) {
        if (anyAnswered && lastCode != null) {
            settlements.decline(payment, lastAcquirer, lastCode, null);
        } else {
            settlements.fail(payment, lastCode == null ? "no_route" : "acquirers_unavailable");
        }
    }

    private void settleApproved(Payment payment, int attemptNo, AcquirerPort acquirer, String acquirerReference,
                                @Nullable Integer latencyMs) {
        metrics.approved(acquirer.name());
        if (!settlements.approve(payment, acquirer.name(), acquirerReference, attemptNo, latencyMs)) {
            Payment now = payments.find(payment.paymentId()).orElseThrow();
            if (now.status() == PaymentStatus.APPROVED && acquirer.name().equals(now.acquirer())) {
                return; // another worker settled it on this very authorization (same acquirer, same reference)
            }
            voidLateApproval(payment.paymentId(), attemptNo, acquirer);
        }
    }

    /**
     * The payment was settled otherwise (declined, failed, by an operator) while this acquirer approved: the
     * approval must not stand. Until the void is confirmed the attempt stays unresolved, so the janitor's sweep
     * of settled payments ({@link #reconcileSettled}) asks again and voids it then.
     */
    private void voidLateApproval(UUID paymentId, int attemptNo, AcquirerPort acquirer) {
        log.warn("payment {} approved by {} after it was settled; voiding the authorization", paymentId,
                acquirer.name());
        AcquirerOutcome voided = acquirer.voidAuthorization(paymentId.toString());
        if (voided instanceof AcquirerOutcome.Approved || voided instanceof AcquirerOutcome.Declined) {
            attempts.resolve(paymentId, attemptNo, PaymentAttempt.Outcome.VOIDED, null, null, null, null);
        }
    }

    /**
     * A settled payment (final status) with an attempt whose outcome is still open — an operator declined it by
     * hand mid-call, a void failed, a worker died: each open attempt is asked about. One that turns out approved
     * is voided (the payment's status stands); a decline or a believed "never received" is recorded; anything
     * else waits for the next round. Called by the janitor.
     */
    void reconcileSettled(UUID paymentId) {
        Payment payment = payments.find(paymentId).orElse(null);
        if (payment == null || !payment.status().isFinal()) {
            return;
        }
        for (PaymentAttempt attempt : attempts.of(paymentId)) {
            if (attempt.outcome().isResolved()) {
                continue;
            }
            AcquirerPort acquirer = acquirers.byName(attempt.acquirer()).orElse(null);
            if (acquirer == null) {
                continue;
            }
            switch (acquirer.inquire(attempt.reference())) {
                case AcquirerOutcome.Approved approved -> {
                    if (payment.status() == PaymentStatus.APPROVED && acquirer.name().equals(payment.acquirer())) {
                        attempts.resolve(paymentId, attempt.attemptNo(), PaymentAttempt.Outcome.APPROVED, null, null,
                                approved.acquirerReference(), null);
                    } else {
                        voidLateApproval(paymentId, attempt.attemptNo(), acquirer);
                    }
                }
                case AcquirerOutcome.Declined declined when NOT_FOUND.equals(declined.code()) -> {
                    if (Duration.between(attempt.createdAt(), clock.instant()).compareTo(settings().notFoundAfter()) >= 0) {
                        attempts.resolve(paymentId, attempt.attemptNo(), PaymentAttempt.Outcome.DECLINED,
                                "not_received", "soft", null, null);
                    }
                }
                case AcquirerOutcome.Declined declined when UNAVAILABLE.equals(declined.code()) -> {
                    // ask again next round
                }
                case AcquirerOutcome.Declined declined -> attempts.resolve(paymentId, attempt.attemptNo(),
                        PaymentAttempt.Outcome.DECLINED, declined.code(),
                        declined.kind() == DeclineKind.HARD ? "hard" : "soft", null, null);
                case AcquirerOutcome.Pending pending -> {
                    // still being decided at the acquirer
                }
                case AcquirerOutcome.Unknown unknown -> {
                    // ask again next round
                }
            }
        }
    }

    /** Asks the acquirer what became of an attempt whose outcome we do not know. */
    private Settled settleByInquiry(Payment payment, PaymentAttempt attempt) {
        AcquirerPort acquirer = acquirers.byName(attempt.acquirer()).orElse(null);
        if (acquirer == null) {
            log.warn("payment {}: acquirer {} of an unresolved attempt is not configured", payment.paymentId(),
                    attempt.acquirer());
            return Settled.STILL_UNKNOWN;
        }
        AcquirerOutcome answer = acquirer.inquire(attempt.reference());
        return switch (answer) {
            case AcquirerOutcome.Approved approved -> {
                settleApproved(payment, attempt.attemptNo(), acquirer, approved.acquirerReference(), null);
                yield Settled.DECIDED;
            }
            case AcquirerOutcome.Declined declined when NOT_FOUND.equals(declined.code()) -> {
                if (Duration.between(attempt.createdAt(), clock.instant()).compareTo(settings().notFoundAfter()) < 0) {
                    yield Settled.STILL_UNKNOWN; // the call may still be on its way
                }
                metrics.declined(acquirer.name(), "not_received", "soft");
                attempts.resolve(payment.paymentId(), attempt.attemptNo(), PaymentAttempt.Outcome.DECLINED,
                        "not_received", "soft", null, null);
                yield Settled.GO_ON;
            }
            case AcquirerOutcome.Declined declined when UNAVAILABLE.equals(declined.code()) -> Settled.STILL_UNKNOWN;
            case AcquirerOutcome.Declined declined when declined.kind() == DeclineKind.HARD -> {
                metrics.declined(acquirer.name(), declined.code(), "hard");
                settlements.decline(payment, acquirer.name(), declined.code(), new DecidingAttempt(
                        attempt.attemptNo(), PaymentAttempt.Outcome.DECLINED, declined.code(), "hard", null, null));
                yield Settled.DECIDED;
            }
            case AcquirerOutcome.Declined declined -> {
                metrics.declined(acquirer.name(), declined.code(), "soft");
                attempts.resolve(payment.paymentId(), attempt.attemptNo(), PaymentAttempt.Outcome.DECLINED,
                        declined.code(), "soft", null, null);
                yield Settled.GO_ON;
            }
            case AcquirerOutcome.Pending pending -> Settled.STILL_UNKNOWN;
            case AcquirerOutcome.Unknown unknown -> Settled.STILL_UNKNOWN;
        };
    }
}
