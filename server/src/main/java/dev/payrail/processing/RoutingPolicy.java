package dev.payrail.processing;

import dev.payrail.acquirer.AcquirerPort;
import dev.payrail.acquirer.Acquirers;
import dev.payrail.payment.Payment;
import dev.payrail.platform.PayrailProperties;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Decides which acquirers a payment is offered to, in order. Today: the default route over every configured
 * acquirer ({@code PAYRAIL_PROCESSING_ROUTE}, default alpha, beta, gamma). Routing rules per merchant, currency,
 * BIN range and country (stored in PostgreSQL, managed over the admin API) are the next step and plug in here.
 */
@Component
class RoutingPolicy {

    private final Acquirers acquirers;
    private final List<String> route;

    RoutingPolicy(Acquirers acquirers, PayrailProperties properties) {
        this.acquirers = acquirers;
        this.route = List.copyOf(properties.processing().route());
    }

    List<AcquirerPort> route(Payment payment) {
        return route.stream().map(acquirers::byName).flatMap(Optional::stream).toList();
    }
}
