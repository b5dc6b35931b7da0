package dev.payrail.simulator;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One row of a simulator's books (table {@code simulator_ledger}): an authorization or a refund it received,
 * under the caller's reference, and what became of it. Rendered as is by {@code GET …/ledger} and
 * {@code GET …/transactions/{reference}}.
 */
record LedgerEntry(String acquirer, String reference, String kind, @Nullable String authorizationReference,
                   long amount, String currency, String status, @Nullable String code, @Nullable String declineType,
                   String acquirerReference, @Nullable String cardLast4, Instant createdAt, Instant updatedAt) {

    static final String AUTHORIZATION = "authorization";
    static final String REFUND = "refund";
    static final String PENDING = "pending";
    static final String APPROVED = "approved";
    static final String DECLINED = "declined";
    static final String VOIDED = "voided";
    /** The decline code of a pending row whose work was abandoned by a crash (see {@code Simulators}). */
    static final String ABANDONED_CODE = "abandoned";
}
