package dev.payrail.webhook;

import dev.payrail.merchant.DemoData;
import java.util.List;
import lombok.RequiredArgsConstructor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * At start-up, after the demo data: gives the endpoints the migration made from merchants' {@code webhook_url}
 * their secrets, and in embedded mode with demo data points the demo merchant's first endpoint at this node's
 * built-in receiver ({@code /simulators/merchant/webhook}) with the published demo secret
 * {@link #DEMO_ENDPOINT_SECRET}, so a new user sees signed webhooks arrive without writing anything.
 */
@Component
@Order(1)
@RequiredArgsConstructor
class WebhookSetup implements ApplicationRunner {

    /** Published in the README, like the demo API key: embedded mode only. */
    static final String DEMO_ENDPOINT_SECRET = "whsec_cGF5cmFpbC1kZW1vLXdlYmhvb2stc2VjcmV0LTMyYnk=";
    static final String RECEIVER_PATH = "/simulators/merchant/webhook";
    private static final Logger log = LoggerFactory.getLogger(WebhookSetup.class);

    private final WebhookEndpoints endpoints;
    private final Environment environment;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    @Override
    public void run(ApplicationArguments args) {
        int filled = endpoints.fillMissingSecrets();
        if (filled > 0) {
            log.info("gave {} webhook endpoint(s) made from merchants' webhook_url a signing secret", filled);
        }
        boolean demo = environment.getProperty("payrail.demo.data", Boolean.class, false)
                && environment.getProperty("payrail.embedded.active", Boolean.class, false);
        String port = environment.getProperty("local.server.port");
        if (demo && port != null && merchantExists()) {
            pointDemoEndpointAtReceiver("http://127.0.0.1:" + port + RECEIVER_PATH);
        }
    }

    private boolean merchantExists() {
        return jdbc.sql("select exists(select 1 from merchants where merchant_id = ?)")
                .param(DemoData.DEMO_MERCHANT_ID).query(Boolean.class).single();
    }

    private void pointDemoEndpointAtReceiver(String receiverUrl) {
        try {
            tx.executeWithoutResult(status -> {
                List<WebhookEndpoints.Endpoint> existing = endpoints.list(DemoData.DEMO_MERCHANT_ID);
                if (existing.isEmpty()) {
                    endpoints.create(DemoData.DEMO_MERCHANT_ID, receiverUrl, List.of(), DEMO_ENDPOINT_SECRET);
                } else if (!existing.getFirst().url().equals(receiverUrl)) {
                    endpoints.reset(existing.getFirst().endpointId(), receiverUrl, DEMO_ENDPOINT_SECRET);
                }
                // The admin answers' webhook_url says where the demo's webhooks really go.
                endpoints.mirrorFirstUrl(DemoData.DEMO_MERCHANT_ID);
            });
            log.info("demo merchant's webhooks go to the built-in receiver: {}", receiverUrl);
        } catch (DuplicateKeyException e) {
            log.debug("demo endpoint set up concurrently by another node");
        }
    }
}
