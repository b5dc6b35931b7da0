package dev.payrail.payment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.payrail.idempotency.Claim;
import dev.payrail.idempotency.IdempotencyKey;
import dev.payrail.idempotency.StoredAnswer;
import dev.payrail.merchant.ApiKeys;
import dev.payrail.merchant.Merchants;
import dev.payrail.outbox.Outbox;
import dev.payrail.platform.Ids;
import dev.payrail.support.IntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** The group-commit writer on its own, fed one batch directly, against the real database. */
@IntegrationTest
class PaymentWriterIT {

    private static final UUID DEMO_MERCHANT = UUID.fromString("0b85ac22-a90a-4019-b0e7-9d07b672cf34");

    @Autowired
    PaymentWriter writer;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Outbox outbox;

    @Autowired
    Merchants merchants;

    @Autowired
    TransactionTemplate tx;

    private PaymentWriter.Submission submission(UUID merchant, String key, long amount, String hash) {
        Instant now = Instant.now();
        Payment payment = new Payment(Ids.next(), merchant, amount, "USD", PaymentStatus.PROCESSING, "writer-test",
                null, key, null, null, now, now);
        String body = "{\"payment_id\":\"" + payment.paymentId() + "\"}";
        Claim claim = key == null ? null : new Claim(new IdempotencyKey(merchant, key), PaymentWriter.OPERATION, hash,
                payment.paymentId(), new StoredAnswer(201, body), now, now.plus(Duration.ofHours(24)));
        return new PaymentWriter.Submission(payment, body, outbox.entry(PaymentEvent.PaymentCreated.of(payment), now),
                claim, null, new CompletableFuture<>());
    }

    private static PaymentWriter.WriteResult resultOf(PaymentWriter.Submission s) throws Exception {
        return s.result().get(10, TimeUnit.SECONDS);
    }

    @Test
    void oneBatchSortsOutDuplicatesAndABadRowWithoutFailingItsNeighbours() throws Exception {
        String key = "writer-" + UUID.randomUUID();
        var keyless = submission(DEMO_MERCHANT, null, 100, null);
        var leader = submission(DEMO_MERCHANT, key, 200, "hash-a");
        var sameBody = submission(DEMO_MERCHANT, key, 200, "hash-a");
        var otherBody = submission(DEMO_MERCHANT, key, 300, "hash-b");
        var unknownMerchant = submission(UUID.randomUUID(), null, 400, null); // breaks the foreign key

        writer.write(List.of(keyless, leader, sameBody, otherBody, unknownMerchant));

        assertThat(resultOf(keyless)).isInstanceOf(PaymentWriter.WriteResult.Created.class);
        assertThat(resultOf(leader)).isEqualTo(new PaymentWriter.WriteResult.Created(leader.responseBody()));
        assertThat(resultOf(sameBody)).isEqualTo(new PaymentWriter.WriteResult.Replayed(201, leader.responseBody()));
        assertThat(resultOf(otherBody)).isInstanceOf(PaymentWriter.WriteResult.KeyReused.class);
        assertThat(resultOf(unknownMerchant)).isInstanceOf(PaymentWriter.WriteResult.MerchantGone.class);

        assertThat(count("select count(*) from payments where payment_id = any(?::uuid[])",
                keyless.payment().paymentId(), leader.payment().paymentId())).isEqualTo(2);
        assertThat(count("select count(*) from payments where payment_id = any(?::uuid[])",
                sameBody.payment().paymentId(), otherBody.payment().paymentId(),
                unknownMerchant.payment().paymentId())).isZero();
        assertThat(count("select count(*) from outbox where event_type = 'payment.created' and aggregate_id = any(?::uuid[])",
                keyless.payment().paymentId(), leader.payment().paymentId())).isEqualTo(2);
    }

    @Test
    void aMerchantDeletedMidBatchLosesOnlyItsOwnPaymentAndTheOthersCommit() throws Exception {
        UUID vanishing = Ids.next();
        merchants.create(vanishing, "vanishing", "https://vanishing.example/h", "secret", ApiKeys.generate());
        var before = submission(DEMO_MERCHANT, null, 100, null);
        var orphan = submission(vanishing, "vanishing-" + UUID.randomUUID(), 200, "hash-v");
        var after = submission(DEMO_MERCHANT, "after-" + UUID.randomUUID(), 300, "hash-w");
        // The merchant goes after its request authenticated and before the batch commits.
        tx.executeWithoutResult(status -> merchants.delete(vanishing));

        writer.write(List.of(before, orphan, after));

        assertThat(resultOf(before)).isInstanceOf(PaymentWriter.WriteResult.Created.class);
        assertThat(resultOf(after)).isInstanceOf(PaymentWriter.WriteResult.Created.class);
        assertThat(resultOf(orphan)).isInstanceOf(PaymentWriter.WriteResult.MerchantGone.class);
        assertThat(count("select count(*) from payments where payment_id = any(?::uuid[])",
                before.payment().paymentId(), after.payment().paymentId())).isEqualTo(2);
        assertThat(count("select count(*) from idempotency_keys where merchant_id = ?::uuid", vanishing.toString()))
                .isZero();
    }

    @Test
    void aKeyCommittedByAnEarlierBatchIsReplayedFromTheStoredAnswer() throws Exception {
        String key = "writer-later-" + UUID.randomUUID();
        var first = submission(DEMO_MERCHANT, key, 500, "hash-x");
        writer.write(List.of(first));
        var again = submission(DEMO_MERCHANT, key, 500, "hash-x");
        var changed = submission(DEMO_MERCHANT, key, 501, "hash-y");

        writer.write(List.of(again, changed));

        assertThat(resultOf(again)).isEqualTo(new PaymentWriter.WriteResult.Replayed(201, first.responseBody()));
        assertThat(resultOf(changed)).isInstanceOf(PaymentWriter.WriteResult.KeyReused.class);
        assertThat(count("select count(*) from payments where idempotency_key = ?", key)).isEqualTo(1);
    }

    private long count(String sql, Object... ids) {
        Object param = ids.length == 1 && ids[0] instanceof String s ? s
                : java.util.Arrays.stream(ids).map(Object::toString).toArray(String[]::new);
        return jdbc.sql(sql).param(param).query(Long.class).single();
    }
}
