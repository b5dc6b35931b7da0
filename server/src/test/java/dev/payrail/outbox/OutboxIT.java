package dev.payrail.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.payrail.support.IntegrationTest;
import dev.payrail.support.Json;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** The outbox module's append: inside the caller's transaction, or not at all. */
@IntegrationTest
class OutboxIT {

    /** A stand-in for a module's event, with a field of its own. */
    record SomethingHappened(UUID thingId, long amount) implements DomainEvent {
        @Override
        public String eventType() {
            return "thing.happened";
        }

        @Override
        public int eventVersion() {
            return 3;
        }

        @Override
        public UUID aggregateId() {
            return thingId;
        }
    }

    @Autowired
    Outbox outbox;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    JdbcClient jdbc;

    private long rows(UUID aggregate) {
        return jdbc.sql("select count(*) from outbox where aggregate_id = ?").param(aggregate).query(Long.class).single();
    }

    @Test
    void anEventCommitsWithTheCallersTransactionInTheVersionedEnvelope() {
        UUID thing = UUID.randomUUID();
        OutboxEntry entry = tx.execute(status -> outbox.append(new SomethingHappened(thing, 1234)));

        String payload = jdbc.sql("select payload from outbox where event_id = ?").param(entry.eventId())
                .query(String.class).single();
        JsonNode envelope = Json.parse(payload);
        assertThat(envelope.get("event_id").asString()).isEqualTo(entry.eventId().toString());
        assertThat(envelope.get("event_type").asString()).isEqualTo("thing.happened");
        assertThat(envelope.get("event_version").asInt()).isEqualTo(3);
        assertThat(envelope.get("aggregate_id").asString()).isEqualTo(thing.toString());
        assertThat(envelope.get("data").get("amount").asLong()).isEqualTo(1234);
        assertThat(envelope.get("data").get("thing_id").asString()).isEqualTo(thing.toString());
        assertThat(envelope.get("data").has("event_type")).isFalse();
        assertThat(rows(thing)).isEqualTo(1);
    }

    @Test
    void eventsRollBackWithTheCallersTransaction() {
        UUID thing = UUID.randomUUID();
        assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
            outbox.appendAll(List.of(new SomethingHappened(thing, 1), new SomethingHappened(thing, 2)));
            assertThat(rows(thing)).isEqualTo(2); // visible inside the transaction
            throw new IllegalStateException("the state change failed");
        })).hasMessage("the state change failed");

        assertThat(rows(thing)).isZero();
    }

    @Test
    void appendingOutsideATransactionIsRefused() {
        UUID thing = UUID.randomUUID();
        assertThatThrownBy(() -> outbox.append(new SomethingHappened(thing, 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("transaction");
        assertThat(rows(thing)).isZero();
    }
}
