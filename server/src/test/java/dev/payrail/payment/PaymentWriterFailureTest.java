package dev.payrail.payment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.payrail.outbox.OutboxEntry;
import dev.payrail.platform.Ids;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.SettingsTable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;

/**
 * An unexpected failure inside the writer (here: the connection pool throws something no one planned for)
 * answers every request of the batch at once, instead of leaving them to wait for their time-out.
 */
class PaymentWriterFailureTest {

    /** A data source that breaks in a way the writer does not expect (not an SQLException). */
    private static final class BrokenPool implements DataSource {
        @Override
        public Connection getConnection() {
            throw new IllegalStateException("pool is broken");
        }

        @Override
        public Connection getConnection(String username, String password) {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {}

        @Override
        public void setLoginTimeout(int seconds) {}

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }

    @Test
    void anUnexpectedErrorInABatchFailsEveryWaitingRequestAtOnce() throws Exception {
        var settings = SettingsTable.bind(new StandardEnvironment());
        var writer = new PaymentWriter(new BrokenPool(), settings, new SimpleMeterRegistry());
        writer.paymentWriterWorker().start();
        List<CompletableFuture<PaymentWriter.WriteResult>> waiting = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                Instant now = Instant.EPOCH;
                Payment payment = new Payment(Ids.next(), UUID.randomUUID(), 100, "USD", PaymentStatus.PROCESSING,
                        "o", null, null, null, null, now, now);
                var event = new OutboxEntry(Ids.next(), "payment.created", payment.paymentId(), "payments", "{}", now);
                waiting.add(writer.submit(new PaymentWriter.Submission(payment, "{}", event, null, null,
                        new CompletableFuture<>())));
            }
            // Without the fix these futures are never completed by the writer at all; the bound only stops a hang.
            CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new))
                    .exceptionally(e -> null).get(60, TimeUnit.SECONDS);
        } finally {
            writer.paymentWriterWorker().stop();
        }
        assertThat(waiting).allSatisfy(f -> assertThat(f).isCompletedExceptionally());
    }
}
