package dev.payrail.simulator;

import java.util.Arrays;
import java.util.Optional;
import lombok.RequiredArgsConstructor;

/**
 * Card numbers with a fixed outcome on every simulated acquirer (their knobs' rates do not apply to them; the
 * switches do). The README's "Acquirer simulators" section has the same table.
 */
@RequiredArgsConstructor
enum TestCard {
    APPROVED("4242424242424242"),
    GENERIC_DECLINE("4000000000000002"),
    INSUFFICIENT_FUNDS("4000000000009995"),
    EXPIRED_CARD("4000000000000069"),
    /** A 5xx; the acquirer records a soft {@code processing_error} decline, which an inquiry then finds. */
    PROCESSING_ERROR("4000000000000119"),
    /** Declined softly ({@code do_not_honor_retry}) on alpha, approved on beta and gamma: a visible cascade. */
    APPROVED_EXCEPT_ON_ALPHA("4000000000000101"),
    /** Approved, but only after the knob {@code late_answer_ms}: longer than the caller waits. */
    APPROVED_LATE("4000000000000259");

    private final String number;

    static Optional<TestCard> of(String number) {
        return Arrays.stream(values()).filter(card -> card.number.equals(number)).findFirst();
    }
}
