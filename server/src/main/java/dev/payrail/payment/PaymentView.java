package dev.payrail.payment;

/**
 * The payment as the merchant API shows it: the prototype's fields (times in epoch seconds) plus customer and
 * card summary. Field names become snake_case on the wire.
 */
public record PaymentView(
        String paymentId,
        String merchantId,
        long amount,
        String currency,
        String status,
        String orderId,
        String idempotencyKey,
        String description,
        CustomerView customer,
        PaymentMethodView paymentMethod,
        long createdAt,
        long updatedAt) {

    public record CustomerView(String email, String ip, String country) {}

    public record PaymentMethodView(String type, String bin, String last4, int expMonth, int expYear,
                                    String fingerprint) {}

    /** The merchant-facing view of a payment as its creation event describes it (for webhooks and events). */
    public static PaymentView of(PaymentEvent.PaymentCreated created) {
        return of(created.toPayment());
    }

    public static PaymentView of(Payment p) {
        var customer = p.customer() == null ? null
                : new CustomerView(p.customer().email(), p.customer().ip(), p.customer().country());
        var card = p.card() == null ? null
                : new PaymentMethodView("card", p.card().bin(), p.card().last4(), p.card().expMonth(),
                        p.card().expYear(), p.card().fingerprint());
        return new PaymentView(p.paymentId().toString(), p.merchantId().toString(), p.amount(), p.currency(),
                p.status().wireName(), p.orderId(), p.idempotencyKey(), p.description(), customer, card,
                p.createdAt().getEpochSecond(), p.updatedAt().getEpochSecond());
    }
}
