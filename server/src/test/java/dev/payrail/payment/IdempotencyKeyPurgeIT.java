package dev.payrail.payment;

import static dev.payrail.support.Http.SEED_BODY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.payrail.idempotency.IdempotencyKeyPurge;
import dev.payrail.support.Http;
import dev.payrail.support.IntegrationTest;
import dev.payrail.support.Json;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

@IntegrationTest
class IdempotencyKeyPurgeIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    IdempotencyKeyPurge purge;

    @Test
    void keysAreKeptForTheRetentionAndPurgedAfterIt() {
        Http http = new Http(port);
        String expired = "expired-" + UUID.randomUUID();
        String fresh = "fresh-" + UUID.randomUUID();
        String firstId = Json.parse(http.createPayment("/v1/payments", expired, SEED_BODY).body()).get("payment_id").asString();
        http.createPayment("/v1/payments", fresh, SEED_BODY);
        assertThat(jdbc.sql("select expires_at - created_at >= interval '24 hours' from idempotency_keys where idempotency_key = ?")
                .param(fresh).query(Boolean.class).single()).isTrue();
        // Age one key past its retention.
        jdbc.sql("update idempotency_keys set expires_at = now() - interval '1 second' where idempotency_key = ?")
                .param(expired).update();

        assertThat(purge.purgeExpired()).as("the one key aged past its retention").isEqualTo(1);

        assertThat(jdbc.sql("select count(*) from idempotency_keys where idempotency_key = ?").param(expired)
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select count(*) from idempotency_keys where idempotency_key = ?").param(fresh)
                .query(Long.class).single()).isEqualTo(1);
        // The payment itself stays; only the replay window is gone.
        assertThat(jdbc.sql("select count(*) from payments where payment_id = ?::uuid").param(firstId)
                .query(Long.class).single()).isEqualTo(1);
        var replay = http.createPayment("/v1/payments", fresh, SEED_BODY);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    }
}
