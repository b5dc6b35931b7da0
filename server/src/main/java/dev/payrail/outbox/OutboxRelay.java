package dev.payrail.outbox;

import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import dev.payrail.platform.Worker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * The relay role: publishes committed outbox rows to Kafka and marks them published. Rows are claimed with
 * {@code FOR UPDATE SKIP LOCKED}, so any number of relay nodes can run side by side. A row is marked only after
 * Kafka acknowledged it (acks=all); a crash in between publishes it again, which is why every event carries a
 * unique {@code event_id} (also sent as a header) for consumers to drop duplicates. When Kafka is down the
 * transaction rolls back and the rows simply wait.
 */
@Component
@ConditionalOnRole(Role.RELAY)
public class OutboxRelay {

    private final DataSource dataSource;
    private final KafkaTemplate<String, String> kafka;
    private final PayrailProperties.Relay settings;
    private final Counter published;

    public OutboxRelay(DataSource dataSource, KafkaTemplate<String, String> kafka, PayrailProperties properties,
                       MeterRegistry meters) {
        this.dataSource = dataSource;
        this.kafka = kafka;
        this.settings = properties.relay();
        this.published = Counter.builder("payrail.outbox.published")
                .description("outbox events this node published to Kafka (acknowledged and marked)").register(meters);
    }

    private record Row(long seq, UUID eventId, String eventType, UUID aggregateId, String topic, String payload) {}

    /** The relay loop: a full batch runs again at once, a short one pauses {@code idle}, a failure backs off. */
    @Bean
    Worker outboxRelayWorker(MeterRegistry meters) {
        return Worker.named("outbox-relay", meters)
                .idle(settings.idle())
                .backoff(settings.backoff(), settings.backoff().multipliedBy(30))
                .step(() -> relayOnce() < settings.batch() ? Worker.Outcome.IDLE : Worker.Outcome.WORKED);
    }

    /** Publishes one batch; returns how many events went out. */
    int relayOnce() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Row> rows = claim(c);
                if (rows.isEmpty()) {
                    c.commit();
                    return 0;
                }
                List<CompletableFuture<?>> acks = new ArrayList<>(rows.size());
                for (Row row : rows) {
                    var record = new ProducerRecord<>(row.topic(), row.aggregateId().toString(), row.payload());
                    record.headers().add("event_id", row.eventId().toString().getBytes(StandardCharsets.UTF_8));
                    record.headers().add("event_type", row.eventType().getBytes(StandardCharsets.UTF_8));
                    acks.add(kafka.send(record));
                }
                kafka.flush();
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
                markPublished(c, rows);
                c.commit();
                published.increment(rows.size());
                return rows.size();
            } catch (Exception e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private List<Row> claim(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select seq, event_id, event_type, aggregate_id, topic, payload from outbox
                where published_at is null order by seq limit ? for update skip locked""")) {
            ps.setInt(1, settings.batch());
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getObject(4, UUID.class), rs.getString(5), rs.getString(6)));
                }
            }
            return rows;
        }
    }

    private static void markPublished(Connection c, List<Row> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update outbox set published_at = now() where seq = any(?)")) {
            ps.setArray(1, c.createArrayOf("int8", rows.stream().map(Row::seq).toArray(Long[]::new)));
            ps.executeUpdate();
        }
    }
}
