package dev.payrail.routing;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What routing may look at in a payment. {@code cardDigits} are the leading digits of the card number (at least
 * the 8 a BIN range can name, when the number is at hand; else the stored 6-digit BIN); {@code cardCountry} is the
 * country the rules' {@code card_country} is compared with (Payrail has no BIN table: the payment's
 * {@code customer.country}).
 */
public record RoutingFacts(UUID paymentId, UUID merchantId, String currency, @Nullable String cardDigits,
                           @Nullable String cardCountry) {}
