package dev.payrail.payment.web;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The request body of {@code POST /v1/payments}, for the OpenAPI description only: the handler reads the raw
 * body itself (size limit, exact replay) and {@code PaymentRequestParser} validates it field by field.
 */
@Schema(name = "CreatePayment", description = "A payment to create. Unknown fields are ignored.")
record CreatePaymentBody(
        @Schema(description = "Amount in minor units of the currency (cents for USD)", minimum = "1",
                maximum = "1000000000000", example = "100", requiredMode = Schema.RequiredMode.REQUIRED)
        long amount,
        @Schema(description = "Active ISO 4217 code, any letter case", example = "USD",
                requiredMode = Schema.RequiredMode.REQUIRED)
        String currency,
        @Schema(description = "The merchant's order reference", maxLength = 255, example = "test",
                requiredMode = Schema.RequiredMode.REQUIRED)
        String orderId,
        @Schema(maxLength = 1000) String description,
        Customer customer,
        PaymentMethod paymentMethod) {

    record Customer(@Schema(example = "buyer@example.com") String email,
                    @Schema(description = "IPv4 or IPv6", example = "203.0.113.7") String ip,
                    @Schema(description = "ISO 3166-1 alpha-2", example = "DE") String country) {}

    @Schema(description = "Card details; the number and CVC are never stored or returned")
    record PaymentMethod(@Schema(allowableValues = "card") String type,
                         @Schema(description = "12-19 digits, Luhn-valid", example = "4242424242424242") String number,
                         @Schema(minimum = "1", maximum = "12") int expMonth,
                         @Schema(example = "2030") int expYear,
                         @Schema(description = "3 or 4 digits") String cvc) {}
}
