package dev.payrail.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.payrail.platform.ApiProblem;
import dev.payrail.support.IntegrationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The idempotency module's single-request API, as refunds and later POSTs use it, against the real database:
 * an operation runs at most once per (merchant, key), its own status is replayed, a different request or another
 * operation under the key is refused, and a failed operation leaves the key free.
 */
@IntegrationTest
class IdempotencyKeysIT {

    private static final UUID DEMO_MERCHANT = UUID.fromString("0b85ac22-a90a-4019-b0e7-9d07b672cf34");
    private static final Duration RETENTION = Duration.ofHours(24);

    @Autowired
    IdempotencyKeys keys;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void scratchTable() {
        jdbc.sql("create table if not exists idempotency_test_resource (id uuid primary key)").update();
    }

    /** The operation's own write, in the same transaction as the key. */
    private IdempotencyKeys.Performed writeMarker(UUID id, int status) {
        jdbc.sql("insert into idempotency_test_resource (id) values (?)").param(id).update();
        return new IdempotencyKeys.Performed(id, new StoredAnswer(status, "{\"id\":\"" + id + "\"}"));
    }

    private long markers(UUID id) {
        return jdbc.sql("select count(*) from idempotency_test_resource where id = ?").param(id).query(Long.class).single();
    }

    @Test
    void concurrentRequestsWithOneKeyRunTheOperationOnceAndAllGetItsAnswer() throws Exception {
        var key = new IdempotencyKey(DEMO_MERCHANT, "refund-" + UUID.randomUUID());
        AtomicInteger runs = new AtomicInteger();
        List<Future<IdempotencyKeys.Result>> results = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < 40; i++) {
                results.add(pool.submit(() -> keys.execute(key, "refund.create", "hash-1", RETENTION, () -> {
                    runs.incrementAndGet();
                    return writeMarker(UUID.randomUUID(), 202);
                })));
            }
        }
        List<StoredAnswer> answers = new ArrayList<>();
        int executed = 0;
        for (var result : results) {
            switch (result.get()) {
                case IdempotencyKeys.Result.Executed e -> {
                    executed++;
                    answers.add(e.answer());
                }
                case IdempotencyKeys.Result.Replayed r -> answers.add(r.answer());
            }
        }
        assertThat(runs).hasValue(1);
        assertThat(executed).isEqualTo(1);
        assertThat(answers).hasSize(40).allSatisfy(a -> assertThat(a).isEqualTo(answers.getFirst()));
        assertThat(answers.getFirst().status()).isEqualTo(202);
        assertThat(jdbc.sql("select response_status from idempotency_keys where merchant_id = ? and idempotency_key = ?")
                .params(key.merchantId(), key.key()).query(Integer.class).single()).isEqualTo(202);
    }

    @Test
    void aDifferentRequestOrAnotherOperationUnderTheKeyIsRefusedAndDoesNotRun() {
        var key = new IdempotencyKey(DEMO_MERCHANT, "k-" + UUID.randomUUID());
        UUID first = UUID.randomUUID();
        keys.execute(key, "refund.create", "hash-a", RETENTION, () -> writeMarker(first, 201));
        UUID second = UUID.randomUUID();
        UUID third = UUID.randomUUID();

        assertThatThrownBy(() -> keys.execute(key, "refund.create", "hash-b", RETENTION, () -> writeMarker(second, 201)))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.code()).isEqualTo("idempotency_key_reuse"));
        assertThatThrownBy(() -> keys.execute(key, "payout.create", "hash-a", RETENTION, () -> writeMarker(third, 201)))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.code()).isEqualTo("idempotency_key_reuse"));

        assertThat(markers(first)).isEqualTo(1);
        assertThat(markers(second)).isZero();
        assertThat(markers(third)).isZero();
    }

    @Test
    void aFailedOperationLeavesNeitherItsWritesNorTheKey() {
        var key = new IdempotencyKey(DEMO_MERCHANT, "fails-" + UUID.randomUUID());
        UUID failed = UUID.randomUUID();
        assertThatThrownBy(() -> keys.execute(key, "refund.create", "hash-a", RETENTION, () -> {
            writeMarker(failed, 201);
            throw new IllegalStateException("acquirer refused");
        })).hasMessage("acquirer refused");
        assertThat(markers(failed)).isZero();

        UUID retried = UUID.randomUUID();
        var result = keys.execute(key, "refund.create", "hash-a", RETENTION, () -> writeMarker(retried, 201));

        assertThat(result).isInstanceOf(IdempotencyKeys.Result.Executed.class);
        assertThat(markers(retried)).isEqualTo(1);
    }

    @Test
    void theSameKeyUnderTwoMerchantsRunsTwice() {
        UUID otherMerchant = jdbc.sql("insert into merchants (merchant_id, name, webhook_url, webhook_secret_enc, "
                        + "created_at, updated_at) values (gen_random_uuid(), 'other', 'http://127.0.0.1:9/h', "
                        + "'\\x00', now(), now()) returning merchant_id")
                .query(UUID.class).single();
        String shared = "shared-" + UUID.randomUUID();
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();

        var first = keys.execute(new IdempotencyKey(DEMO_MERCHANT, shared), "refund.create", "h", RETENTION,
                () -> writeMarker(a, 201));
        var second = keys.execute(new IdempotencyKey(otherMerchant, shared), "refund.create", "h", RETENTION,
                () -> writeMarker(b, 201));

        assertThat(first).isInstanceOf(IdempotencyKeys.Result.Executed.class);
        assertThat(second).isInstanceOf(IdempotencyKeys.Result.Executed.class);
        assertThat(markers(a)).isEqualTo(1);
        assertThat(markers(b)).isEqualTo(1);
    }
}
