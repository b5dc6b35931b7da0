package dev.payrail.outbox;

import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
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
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final DataSource dataSource;
    private final KafkaTemplate<String, String> kafka;
    private final PayrailProperties.Relay settings;
    /** {@code payrail_outbox_published_total}: rows this node marked published, so each relay's share shows. */
    private final Counter published;
    private volatile boolean running;
    private Thread thread;

    public OutboxRelay(DataSource dataSource, KafkaTemplate<String, String> kafka, PayrailProperties properties,
                       MeterRegistry meters) {
        this.dataSource = dataSource;
        this.kafka = kafka;
        this.settings = properties.relay();
        this.published = Counter.builder("payrail.outbox.published")
                .description("outbox events this node published to Kafka and marked published")
                .register(meters);
    }

    private record Row(long seq, UUID eventId, String eventType, UUID aggregateId, String topic, String payload) {}

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name("payrail-outbox-relay").start(this::loop);
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return 0;
    }

    private void loop() {
        long failures = 0;
        while (running) {
            try {
                int published = relayOnce();
                failures = 0;
                if (published < settings.batch()) {
                    Thread.sleep(settings.idle().toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (failures++ % 30 == 0) { // say it once, then every ~30 s while it lasts
                    log.warn("outbox relay cannot publish yet ({}); events wait in the outbox", rootMessage(e));
                }
                try {
                    Thread.sleep(settings.backoff().toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
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
                int marked = markPublished(c, rows);
                c.commit();
                published.increment(marked);
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

    private static int markPublished(Connection c, List<Row> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update outbox set published_at = now() where seq = any(?)")) {
            ps.setArray(1, c.createArrayOf("int8", rows.stream().map(Row::seq).toArray(Long[]::new)));
            return ps.executeUpdate();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
