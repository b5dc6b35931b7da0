package dev.payrail.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * What most {@link IntegrationTest} classes start from: the application's port, an {@link Http} client on it and
 * the database, to check what a request stored (or did not).
 */
public abstract class ApiTestBase {

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcClient jdbc;

    protected Http http;

    @BeforeEach
    void openHttp() {
        http = new Http(port);
    }

    /**
     * A new merchant created through the admin API (as the development token), its webhooks going to the built-in
     * receiver named {@code receiver}: the answer, with its {@code id}, {@code api_key} and {@code webhook_endpoint_id}.
     */
    protected JsonNode merchantWithReceiver(String receiver) {
        HttpResponse<String> created = http.post("/admin-api/merchants",
                Map.of("Authorization", "Bearer dev-admin", "Content-Type", "application/json"),
                "{\"webhook_url\":\"http://127.0.0.1:" + port + "/simulators/merchant/webhook/" + receiver
                        + "\",\"api_secret\":\"api-secret-" + receiver + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Json.parse(created.body());
    }

    /** All payments in the database, whoever made them. */
    protected long paymentRows() {
        return jdbc.sql("select count(*) from payments").query(Long.class).single();
    }
}
