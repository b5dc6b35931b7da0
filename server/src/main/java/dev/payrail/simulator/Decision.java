package dev.payrail.simulator;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a simulator does with one request: its result, the decline code and type when declined, and how long it
 * waits before it answers. {@link Result#ERROR} answers a 5xx and is booked as a soft {@code processing_error}
 * decline, so an inquiry afterwards tells the caller nothing was charged.
 */
record Decision(Result result, @Nullable String code, @Nullable String declineType, Duration delay) {

    static final String HARD = "hard";
    static final String SOFT = "soft";
    static final String PROCESSING_ERROR = "processing_error";

    enum Result { APPROVED, DECLINED, ERROR }

    static Decision approved(Duration delay) {
        return new Decision(Result.APPROVED, null, null, delay);
    }

    static Decision declined(String code, String declineType, Duration delay) {
        return new Decision(Result.DECLINED, code, declineType, delay);
    }

    static Decision error(Duration delay) {
        return new Decision(Result.ERROR, PROCESSING_ERROR, SOFT, delay);
    }

    /** The status the ledger books: an error is a decline the acquirer admits to. */
    String ledgerStatus() {
        return result == Result.APPROVED ? "approved" : "declined";
    }
}
