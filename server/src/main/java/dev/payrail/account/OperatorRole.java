package dev.payrail.account;

import dev.payrail.platform.WireName;
import java.util.Optional;

/**
 * What an operator account may do: {@code viewer} reads everything but secrets; {@code operator} also acts on
 * payments (status by hand, refunds, resending webhooks), redelivers webhooks and suspends or resumes merchants;
 * {@code admin} may do everything, including merchants, keys, acquirers, routing and accounts.
 */
public enum OperatorRole implements WireName {
    VIEWER, OPERATOR, ADMIN;

    /** The Spring Security authority of this role ({@code ROLE_ADMIN}, …). */
    public String authority() {
        return "ROLE_" + name();
    }

    public static Optional<OperatorRole> parse(String wire) {
        for (OperatorRole role : values()) {
            if (role.wireName().equals(wire)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
