package dev.payrail.payment;

import dev.payrail.platform.Sensitive;

/** A validated request to create a payment. Card number and CVC are {@link Sensitive} and never stored. */
public record PaymentRequest(
        long amount,
        String currency,
        String orderId,
        String description,
        Customer customer,
        Card card) {

    public record Customer(String email, String ip, String country) {}

    public record Card(Sensitive number, int expMonth, int expYear, Sensitive cvc) {

        public String bin() {
            return number.value().substring(0, 6);
        }

        public String last4() {
            String pan = number.value();
            return pan.substring(pan.length() - 4);
        }
    }
}
