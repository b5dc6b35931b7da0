package dev.payrail.embedded;

import org.springframework.core.env.PropertyResolver;

/**
 * Where PostgreSQL and Kafka come from, decided once and as a whole from {@code PAYRAIL_DB_URL} and
 * {@code PAYRAIL_KAFKA_BOOTSTRAP}. Half of each would be the worst of both: an operator's real database with
 * the development defaults switched on (the published demo key, {@code dev-admin}), so it is refused.
 */
enum InfrastructureMode {

    /** Neither is set: Payrail runs its own servers, and the development defaults apply. */
    EMBEDDED,
    /** Both are set: the operator's servers, and no development default applies. */
    EXTERNAL;

    static InfrastructureMode of(PropertyResolver settings) {
        boolean database = isSet(settings.getProperty("payrail.db.url"));
        boolean kafka = isSet(settings.getProperty("payrail.kafka.bootstrap"));
        if (database && kafka) {
            return EXTERNAL;
        }
        if (!database && !kafka) {
            return EMBEDDED;
        }
        throw new StartupRefusedException((database
                ? "PAYRAIL_DB_URL is set but PAYRAIL_KAFKA_BOOTSTRAP is not"
                : "PAYRAIL_KAFKA_BOOTSTRAP is set but PAYRAIL_DB_URL is not")
                + ": set both to use external PostgreSQL and Kafka, or neither for embedded mode");
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
