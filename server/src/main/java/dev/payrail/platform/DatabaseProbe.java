package dev.payrail.platform;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import lombok.RequiredArgsConstructor;
import org.springframework.stereotype.Component;

/**
 * Asks the database one trivial question with a hard deadline. Used by readiness and {@code /health}.
 *
 * <p>A frozen or unreachable server answers nothing at all: a plain query waits for ever (a statement timeout
 * is a cancel request, which a frozen server does not read either), and taking a connection from the pool can
 * itself wait for the pool's connection timeout. So the question is asked on its own virtual thread, its socket
 * gets a network timeout, and the caller waits at most {@link #ANSWER_TIMEOUT}. Probes arriving while one is
 * still out share it, so a hung database cannot pile up threads however often the probes come.
 */
@Component
@RequiredArgsConstructor
public class DatabaseProbe {

    public static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(2);

    private final DataSource dataSource;
    private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);

    /** Null when the database answered within {@link #ANSWER_TIMEOUT}; otherwise why not, for humans. */
    public String problem() {
        CompletableFuture<Void> probe = currentProbe();
        try {
            probe.get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (TimeoutException e) {
            return "no answer within " + ANSWER_TIMEOUT.toSeconds() + " s";
        } catch (ExecutionException e) {
            return "unreachable (" + e.getCause().getClass().getSimpleName() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private synchronized CompletableFuture<Void> currentProbe() {
        if (inFlight.isDone()) {
            CompletableFuture<Void> probe = new CompletableFuture<>();
            Thread.ofVirtual().name("payrail-db-probe").start(() -> {
                try {
                    selectOne();
                    probe.complete(null);
                } catch (Exception | Error e) {
                    probe.completeExceptionally(e);
                }
            });
            inFlight = probe;
        }
        return inFlight;
    }

    private void selectOne() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            // The statement timeout ends a merely slow query cleanly; the network timeout, a second later, ends
            // the wait on a frozen server. The pool restores the connection's network timeout when it is returned.
            connection.setNetworkTimeout(Runnable::run, (int) ANSWER_TIMEOUT.plusSeconds(1).toMillis());
            try (Statement statement = connection.createStatement()) {
                statement.setQueryTimeout((int) ANSWER_TIMEOUT.toSeconds());
                try (ResultSet rows = statement.executeQuery("select 1")) {
                    rows.next();
                }
            }
        }
    }
}
