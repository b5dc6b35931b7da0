package dev.payrail.processing;

import dev.payrail.acquirer.AcquirerPort;
import dev.payrail.acquirer.Acquirers;
import dev.payrail.payment.Payment;
import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.Role;
import dev.payrail.routing.RoutingFacts;
import dev.payrail.routing.RoutingTable;
import dev.payrail.vault.VaultedCard;
import java.util.List;
import java.util.Optional;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Decides which acquirers a payment is offered to, in order, from the routing rules and the acquirers' switches
 * ({@link RoutingTable}): by merchant, currency, BIN range (the card's first digits, read from the card opened
 * for the authorization, else the stored 6-digit BIN) and card country (the payment's {@code customer.country}:
 * Payrail has no BIN table to find the issuing country).
 */
@Component
@ConditionalOnRole(Role.PROCESSING)
@RequiredArgsConstructor
class RoutingPolicy {

    /** The most digits a BIN range names. */
    private static final int BIN_DIGITS_MAX = 8;

    private final Acquirers acquirers;
    private final RoutingTable table;

    List<AcquirerPort> route(Payment payment, @Nullable VaultedCard card) {
        return table.route(facts(payment, card)).stream().map(acquirers::byName).flatMap(Optional::stream).toList();
    }

    static RoutingFacts facts(Payment payment, @Nullable VaultedCard card) {
        String digits = null;
        if (card != null) {
            String number = card.number().value();
            digits = number.substring(0, Math.min(BIN_DIGITS_MAX, number.length()));
        } else if (payment.card() != null) {
            digits = payment.card().bin();
        }
        String country = payment.customer() == null ? null : payment.customer().country();
        return new RoutingFacts(payment.paymentId(), payment.merchantId(), payment.currency(), digits, country);
    }
}
