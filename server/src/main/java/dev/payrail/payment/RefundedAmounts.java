package dev.payrail.payment;

import java.util.UUID;

/**
 * How much of a payment has been refunded (the sum of its succeeded refunds). Declared here and implemented by the
 * refund module, so that the payment view can show it while {@code payment} stays free of a dependency on
 * {@code refund} (which depends on {@code payment}).
 */
public interface RefundedAmounts {

    long refundedAmount(UUID paymentId);
}
