package dev.payrail.merchant;

import java.util.UUID;
import lombok.RequiredArgsConstructor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * With {@code PAYRAIL_DEMO_DATA=true} (the default in embedded mode, and allowed only there) a demo merchant
 * exists whose API key is the prototype's, so the seed's curl example works unchanged.
 *
 * <p>The database gets a mark (a comment on it) saying that it is such a demo database. A node on external
 * infrastructure that finds the published key in a database without the mark revokes it: an older Payrail
 * started with {@code PAYRAIL_DB_URL} alone wrote the demo merchant into the operator's real database, after
 * which every node accepted a key anyone can read in the README.
 */
@Component
@Order(0)
@ConditionalOnBooleanProperty("payrail.demo.data")
@RequiredArgsConstructor
public class DemoData implements ApplicationRunner {

    /** Public so the webhook module can point the demo merchant's endpoint at the built-in receiver. */
    public static final UUID DEMO_MERCHANT_ID = UUID.fromString("0b85ac22-a90a-4019-b0e7-9d07b672cf34");
    static final String DEMO_API_KEY = "sk_live_0b85ac22a90a4019b0e79d07b672cf34";
    static final String DEMO_WEBHOOK_URL = "http://127.0.0.1:8000/simulator/merchant-webhook";
    /** The demo merchant's api_secret, behind the prototype's {@code X-Signature}. */
    public static final String DEMO_API_SECRET = "secret";
    static final String DEMO_WEBHOOK_SECRET = DEMO_API_SECRET;
    static final String DEMO_DATABASE_MARK = "Payrail embedded-mode database: holds the demo merchant";

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);
    private final Merchants merchants;
    private final JdbcClient jdbc;

    @Override
    public void run(ApplicationArguments args) {
        jdbc.sql("do $$ begin execute format('comment on database %I is %L', current_database(), '"
                + DEMO_DATABASE_MARK + "'); end $$").update();
        if (merchants.exists(DEMO_MERCHANT_ID)) {
            return;
        }
        try {
            merchants.create(DEMO_MERCHANT_ID, "Demo merchant", DEMO_WEBHOOK_URL, DEMO_WEBHOOK_SECRET, DEMO_API_KEY);
            log.info("created demo merchant {} with API key {}", DEMO_MERCHANT_ID, ApiKeys.prefix(DEMO_API_KEY));
        } catch (Merchants.ApiKeyTakenException | org.springframework.dao.DuplicateKeyException e) {
            log.debug("demo merchant created concurrently by another node");
        }
    }

    /**
     * On external infrastructure, the published demo key opens nothing unless the database is an embedded
     * Payrail's demo database (a second node pointed at a developer's embedded servers shares its demo). It
     * runs while the beans are created, after Flyway and before the HTTP port opens, so no request can slip in
     * with the key first.
     */
    @Component
    @ConditionalOnBooleanProperty(name = "payrail.embedded.active", havingValue = false)
    static class PublishedKeyRevocation implements InitializingBean {

        private final Merchants merchants;
        private final JdbcClient jdbc;

        PublishedKeyRevocation(Merchants merchants, JdbcClient jdbc) {
            this.merchants = merchants;
            this.jdbc = jdbc;
        }

        @Override
        public void afterPropertiesSet() {
            boolean demoDatabase = jdbc.sql("""
                    select coalesce(shobj_description(oid, 'pg_database'), '') = ?
                    from pg_database where datname = current_database()""")
                    .param(DEMO_DATABASE_MARK).query(Boolean.class).single();
            if (!demoDatabase && merchants.revokeApiKey(DEMO_API_KEY)) {
                log.warn("revoked the demo merchant's published API key {}, found in this database: it is for "
                        + "embedded mode only", ApiKeys.prefix(DEMO_API_KEY));
            }
        }
    }
}
