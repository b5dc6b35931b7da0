package dev.payrail.simulator;

import dev.payrail.platform.WireName;
import lombok.RequiredArgsConstructor;

/** The three simulated acquirers and how each behaves until its knobs are changed. */
@RequiredArgsConstructor
enum SimulatorProfile implements WireName {
    /** Fast, approves about 85 % of ordinary cards; the one that declines 4000000000000101 (softly). */
    ALPHA(20, 10, 0.85, 0.0, 0.0, true),
    /** Slower, approves about 80 %, and now and then fails with a 5xx (5 %) or answers too late (3 %). */
    BETA(120, 80, 0.80, 0.05, 0.03, false),
    /** Strict: approves only about 60 %. */
    GAMMA(40, 20, 0.60, 0.0, 0.0, false);

    private final int latencyMeanMs;
    private final int latencySpreadMs;
    private final double approvalRate;
    private final double errorRate;
    private final double timeoutRate;
    private final boolean softDeclinesRetryCard;

    /** The name in routes and settings. */

    /** The knobs this acquirer starts with, and returns to on reset. */
    Knobs defaultKnobs(int lateAnswerMs) {
        return new Knobs(latencyMeanMs, latencySpreadMs, approvalRate, errorRate, timeoutRate, lateAnswerMs);
    }

    /** Whether test card {@link TestCard#APPROVED_EXCEPT_ON_ALPHA} is declined softly here. */
    boolean softDeclinesRetryCard() {
        return softDeclinesRetryCard;
    }
}
