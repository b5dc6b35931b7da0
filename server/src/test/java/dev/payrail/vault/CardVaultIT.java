package dev.payrail.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.payrail.support.Http;
import dev.payrail.support.IntegrationTest;
import dev.payrail.support.Json;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The card vault against the real database and Kafka: a card sent with a payment can be opened by the payment
 * id (for the processing role), is bound to its payment, loses its CVC at the final status and its number after
 * the retention, and never appears in plain text in the database, on the topic or in the logs.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class CardVaultIT {

    /** Test cards used only here, so a hit anywhere can only come from this test. */
    private static final List<String> PANS = List.of("4000056655665556", "5200828282828210", "378282246310005");
    private static final String CVC = "8317";
    /**
     * The simulators answer this card only after the caller's time-out, so its payment stays in processing (card
     * still in the vault) for a few seconds, long enough for the tests that open it.
     */
    private static final String SLOW_CARD = "4000000000000259";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    CardVault vault;

    @Autowired
    KafkaAdmin kafkaAdmin;

    @Value("${payrail.data.dir}")
    Path dataDir;

    private UUID pay(String pan, String cvc) {
        HttpResponse<String> created = new Http(port).createPayment("/v1/payments", "vault-" + UUID.randomUUID(), """
                {"amount":1500,"currency":"USD","order_id":"vault-test",
                 "payment_method":{"type":"card","number":"%s","exp_month":11,"exp_year":2032,"cvc":"%s"}}"""
                .formatted(pan, cvc));
        assertThat(created.statusCode()).isEqualTo(201);
        return UUID.fromString(Json.parse(created.body()).get("payment_id").asString());
    }

    @Test
    void theCardOfAPaymentOpensByItsPaymentIdAndIsReferencedByToken() {
        UUID paymentId = pay(SLOW_CARD, CVC);

        VaultedCard card = vault.open(paymentId).orElseThrow();

        assertThat(card.number().value()).isEqualTo(SLOW_CARD);
        assertThat(card.cvc()).isNotNull();
        assertThat(card.cvc().value()).isEqualTo(CVC);
        assertThat(card.toString()).doesNotContain(SLOW_CARD).doesNotContain(CVC);
        UUID tokenOnPayment = jdbc.sql("select card_token from payments where payment_id = ?").param(paymentId)
                .query(UUID.class).single();
        assertThat(tokenOnPayment).isEqualTo(card.token());
        String keyId = jdbc.sql("select key_id from card_vault where payment_id = ?").param(paymentId)
                .query(String.class).single();
        assertThat(keyId).hasSize(8);
    }

    @Test
    void aSealedBoxMovedToAnotherPaymentDoesNotOpen() {
        UUID victim = pay(SLOW_CARD, "123");
        UUID thief = pay(SLOW_CARD, "4567");
        jdbc.sql("update card_vault set pan_enc = (select pan_enc from card_vault where payment_id = ?) where payment_id = ?")
                .params(victim, thief).update();

        assertThatThrownBy(() -> vault.open(thief))
                .isInstanceOf(CardVault.VaultException.class)
                .hasMessageContaining("does not open")
                .hasMessageNotContaining(SLOW_CARD);
    }

    @Test
    void theCvcIsErasedAtTheFinalStatusAndTheNumberAtTheNextSweep() {
        UUID finalised = pay(SLOW_CARD, CVC);
        UUID stillProcessing = pay(SLOW_CARD, CVC);

        jdbc.sql("update payments set status = 'approved' where payment_id = ?").param(finalised).update();

        assertThat(vault.open(finalised).orElseThrow().cvc()).isNull();
        assertThat(vault.open(finalised).orElseThrow().number().value()).isEqualTo(SLOW_CARD);
        assertThat(vault.open(stillProcessing).orElseThrow().cvc()).isNotNull();

        assertThat(vault.sweep()).isGreaterThanOrEqualTo(1);

        assertThat(vault.open(finalised)).isEmpty();
        assertThat(vault.open(stillProcessing).orElseThrow().number().value()).isEqualTo(SLOW_CARD);
        assertThat(jdbc.sql("""
                select pan_enc is null and cvc_enc is null and pan_erased_at is not null and cvc_erased_at is not null
                from card_vault where payment_id = ?""").param(finalised).query(Boolean.class).single()).isTrue();
    }

    @Test
    void noCardNumberOrCvcInPlainTextInTheDatabaseTheTopicOrTheLogs(CapturedOutput logs) throws IOException {
        List<UUID> payments = new ArrayList<>();
        for (String pan : PANS) {
            payments.add(pay(pan, CVC));
        }
        // One of them final, so the erasure path has run too.
        jdbc.sql("update payments set status = 'declined' where payment_id = ?").param(payments.getFirst()).update();

        List<String> tables = jdbc.sql("select tablename from pg_tables where schemaname = 'public'")
                .query(String.class).list();
        assertThat(tables).contains("payments", "card_vault", "outbox", "idempotency_keys");
        for (String table : tables) {
            List<String> rows = jdbc.sql("select t::text from \"" + table + "\" t").query(String.class).list();
            for (String row : rows) {
                assertNoCardData("table " + table, row);
            }
        }

        List<String> events = eventsOnTopicFor(payments);
        assertThat(events.stream().filter(e -> e.contains("\"event_type\":\"payment.created\"")).count())
                .isEqualTo(payments.size());
        events.forEach(event -> assertNoCardData("topic payments", event));

        assertNoCardData("the log", logs.getAll());

        // The files themselves: PostgreSQL's write-ahead log (every commit is flushed to it; the application role
        // may not force a checkpoint, so table pages may still be only in memory) and tables, Kafka's segments.
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (String pan : PANS) {
                    assertThat(bytes).as("card number in %s", file).doesNotContain(pan);
                }
                assertThat(bytes).as("CVC in %s", file).doesNotContain("\"cvc\":\"" + CVC);
            }
        }
    }

    private static void assertNoCardData(String where, String text) {
        for (String pan : PANS) {
            assertThat(text).as("card number in %s", where).doesNotContain(pan);
        }
        assertThat(text).as("CVC in %s", where)
                .doesNotContain("\"cvc\":\"" + CVC).doesNotContain("cvc=" + CVC).doesNotContain("\"" + CVC + "\"");
    }

    private List<String> eventsOnTopicFor(List<UUID> payments) {
        Map<String, Object> config = new java.util.HashMap<>(kafkaAdmin.getConfigurationProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "vault-test-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> keys = payments.stream().map(UUID::toString).toList();
        List<String> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<String, String>(config)) {
            consumer.subscribe(List.of("payments"));
            // Every event of these payments (creation, and the final one processing may have written by now),
            // until each payment's creation event has been seen.
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (keys.contains(r.key())) {
                        found.add(r.value());
                    }
                });
                return found.stream().filter(e -> e.contains("\"event_type\":\"payment.created\"")).count()
                        >= keys.size();
            });
        }
        return found;
    }
}
