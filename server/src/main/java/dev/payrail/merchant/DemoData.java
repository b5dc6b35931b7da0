package dev.payrail.merchant;

import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * With {@code PAYRAIL_DEMO_DATA=true} (the default in embedded mode) a demo merchant exists whose API key is
 * the prototype's, so the seed's curl example works unchanged.
 */
@Component
@Order(0)
@ConditionalOnBooleanProperty("payrail.demo.data")
class DemoData implements ApplicationRunner {

    static final UUID DEMO_MERCHANT_ID = UUID.fromString("0b85ac22-a90a-4019-b0e7-9d07b672cf34");
    static final String DEMO_API_KEY = "sk_live_0b85ac22a90a4019b0e79d07b672cf34";
    static final String DEMO_WEBHOOK_URL = "http://127.0.0.1:8000/simulator/merchant-webhook";
    static final String DEMO_WEBHOOK_SECRET = "secret";

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);
    private final Merchants merchants;

    DemoData(Merchants merchants) {
        this.merchants = merchants;
    }

    @Override
    public void run(ApplicationArguments args) {
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
}
