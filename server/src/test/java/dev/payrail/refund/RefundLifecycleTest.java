package dev.payrail.refund;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The refund transition table and the events a settled refund produces. */
class RefundLifecycleTest {

    @Test
    void aRequestedRefundMovesOnlyToSucceededOrFailedAndNothingMovesAfterThat() {
        assertThat(RefundStatus.REQUESTED.canMoveTo(RefundStatus.SUCCEEDED)).isTrue();
        assertThat(RefundStatus.REQUESTED.canMoveTo(RefundStatus.FAILED)).isTrue();
        assertThat(RefundStatus.REQUESTED.canMoveTo(RefundStatus.REQUESTED)).isFalse();
        for (RefundStatus settled : new RefundStatus[] {RefundStatus.SUCCEEDED, RefundStatus.FAILED}) {
            for (RefundStatus any : RefundStatus.values()) {
                assertThat(settled.canMoveTo(any)).as("%s -> %s", settled, any).isFalse();
            }
        }
        assertThat(RefundStatus.FAILED.countsAgainstAmount()).isFalse();
        assertThat(RefundStatus.REQUESTED.countsAgainstAmount()).isTrue();
        assertThat(RefundStatus.SUCCEEDED.countsAgainstAmount()).isTrue();
    }

    @Test
    void aSettledRefundsEventIsKeyedByItsPaymentAndNamedForItsStatus() {
        Instant settledAt = Instant.parse("2026-11-27T10:00:00Z");
        Refund succeeded = refund(RefundStatus.SUCCEEDED, "alpha_ref", null);
        RefundEvent event = RefundEvent.settled(succeeded, settledAt);
        assertThat(event).isInstanceOf(RefundEvent.RefundSucceeded.class);
        assertThat(event.eventType()).isEqualTo("refund.succeeded");
        assertThat(event.eventVersion()).isEqualTo(1);
        assertThat(event.aggregateId()).isEqualTo(succeeded.paymentId());

        Refund failed = refund(RefundStatus.FAILED, null, "simulated_failure");
        RefundEvent failure = RefundEvent.settled(failed, settledAt);
        assertThat(failure.eventType()).isEqualTo("refund.failed");
        assertThat(((RefundEvent.RefundFailed) failure).failureCode()).isEqualTo("simulated_failure");
        assertThat(((RefundEvent.RefundFailed) failure).settledAt()).isEqualTo(settledAt);

        assertThatThrownBy(() -> RefundEvent.settled(refund(RefundStatus.REQUESTED, null, null), settledAt))
                .isInstanceOf(IllegalStateException.class);
    }

    private static Refund refund(RefundStatus status, String acquirerReference, String failureCode) {
        Instant created = Instant.parse("2026-11-27T09:59:59Z");
        return new Refund(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 500, "EUR", status, "why",
                "alpha", "auth-ref", acquirerReference, failureCode, null, null, created, created,
                status == RefundStatus.REQUESTED ? null : created);
    }
}
