package dev.payrail.support;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

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

    /** All payments in the database, whoever made them. */
    protected long paymentRows() {
        return jdbc.sql("select count(*) from payments").query(Long.class).single();
    }
}
