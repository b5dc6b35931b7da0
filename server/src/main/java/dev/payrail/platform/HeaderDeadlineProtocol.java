package dev.payrail.platform;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.coyote.AbstractProcessor;
import org.apache.coyote.Constants;
import org.apache.coyote.Processor;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.coyote.http11.Http11Processor;
import org.apache.tomcat.util.net.AbstractEndpoint.Handler.SocketState;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's NIO HTTP/1.1 connector with a deadline for the request line and headers: a connection that has sent
 * part of a request but not all of its headers within {@link #setHeaderTimeout the header timeout} is closed.
 *
 * <p>Why: Tomcat's {@code connectionTimeout} is the longest silence between two reads, so a client sending one
 * header byte every few seconds (slowloris) keeps its connection forever. NIO costs such a connection no thread,
 * but it holds one of the {@code server.tomcat.max-connections} slots; ten thousand of them fill every slot, and
 * normal requests wait in the accept queue until they time out. A total deadline frees the slots.
 *
 * <p>How: the time a connection starts waiting for a request is noted when its bytes first reach a processor,
 * and cleared when that processor completes a request. A sweep once a second closes the connections that have
 * waited longer than the deadline and are not being served. Blank lines before a request (which Tomcat skips
 * without keeping a processor) count as waiting too, so they cannot be used to trickle instead.
 */
public class HeaderDeadlineProtocol extends Http11NioProtocol {

    private static final Logger log = LoggerFactory.getLogger(HeaderDeadlineProtocol.class);
    private static final long SWEEP_INTERVAL_MS = 1000;

    /** Connection → {@link System#nanoTime()} when it started waiting for the rest of a request. */
    private final Map<SocketWrapperBase<?>, Long> waitingSinceNanos = new ConcurrentHashMap<>();
    private volatile long headerTimeoutNanos = TimeUnit.SECONDS.toNanos(10);
    private ScheduledFuture<?> sweep;

    public void setHeaderTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the header timeout must be positive");
        }
        this.headerTimeoutNanos = timeout.toNanos();
    }

    public Duration getHeaderTimeout() {
        return Duration.ofNanos(headerTimeoutNanos);
    }

    @Override
    protected Processor createProcessor() {
        return new DeadlineProcessor();
    }

    @Override
    public void start() throws Exception {
        super.start();
        sweep = getUtilityExecutor().scheduleWithFixedDelay(this::closeLateConnections,
                SWEEP_INTERVAL_MS, SWEEP_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() throws Exception {
        if (sweep != null) {
            sweep.cancel(false);
        }
        waitingSinceNanos.clear();
        super.stop();
    }

    private void closeLateConnections() {
        long now = System.nanoTime();
        int closed = 0;
        for (var entry : waitingSinceNanos.entrySet()) {
            SocketWrapperBase<?> socket = entry.getKey();
            if (socket.isClosed()) {
                waitingSinceNanos.remove(socket);
            } else if (now - entry.getValue() > headerTimeoutNanos && !isBeingServed(socket)) {
                waitingSinceNanos.remove(socket);
                // The same path Tomcat takes for a read timeout: the processor (if any) is released and the
                // socket closed on the connector's own threads, under the connection's lock.
                socket.processSocket(SocketEvent.ERROR, true);
                closed++;
            }
        }
        if (closed > 0) {
            log.debug("closed {} connections that did not send their request headers within {}", closed,
                    getHeaderTimeout());
        }
    }

    /** True while the request's headers are complete and it is being handled or answered. */
    private static boolean isBeingServed(SocketWrapperBase<?> socket) {
        if (!(socket.getCurrentProcessor() instanceof AbstractProcessor processor)) {
            return false;
        }
        int stage = processor.getRequest().getRequestProcessor().getStage();
        return stage >= Constants.STAGE_PREPARE && stage <= Constants.STAGE_ENDOUTPUT;
    }

    /** Notes when a connection starts waiting for a request and forgets it once a request was completed. */
    private final class DeadlineProcessor extends Http11Processor {

        DeadlineProcessor() {
            super(HeaderDeadlineProtocol.this, HeaderDeadlineProtocol.this.getAdapter());
        }

        @Override
        public SocketState service(SocketWrapperBase<?> socket) throws IOException {
            waitingSinceNanos.putIfAbsent(socket, System.nanoTime());
            int completedBefore = getRequest().getRequestProcessor().getRequestCount();
            try {
                return super.service(socket);
            } finally {
                if (getRequest().getRequestProcessor().getRequestCount() != completedBefore) {
                    waitingSinceNanos.remove(socket);
                }
            }
        }
    }
}
