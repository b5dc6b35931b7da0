package dev.payrail.platform;

import static dev.payrail.support.ProblemAssertions.assertProblem;
import static dev.payrail.support.ServerProcesses.awaitHealthy;
import static dev.payrail.support.ServerProcesses.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import dev.payrail.support.Http;
import dev.payrail.support.RawHttp;
import dev.payrail.support.ServerProcesses;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that attack the HTTP edge itself, against the packaged jar in a child process (a fresh server, whose
 * log file the test can read, and whose connection slots the test can fill without touching the other tests).
 */
class HostileClientsIT {

    /**
     * Slots the server gets, and slow connections the test opens: more than the slots, so that without a header
     * deadline every slot stays taken. The default is 10,000 slots, but ten thousand connections holding
     * Tomcat's buffers need about 0.5 GB of heap and the child runs with 512 MB, so the test scales both down.
     */
    private static final int CONNECTION_SLOTS = 2_000;
    private static final int SLOW_CONNECTIONS = 2_100;

    private static final ServerProcesses servers = new ServerProcesses();
    private static final String NAME = "hostile-clients";
    private static int port;

    @BeforeAll
    static void startServer() throws InterruptedException {
        port = freePort();
        Process server = servers.start(NAME, Map.of(), "--payrail.data.dir=" + ServerProcesses.freshDataDir(NAME),
                "--payrail.http.port=" + port, "--payrail.roles=api,admin",
                "--server.tomcat.max-connections=" + CONNECTION_SLOTS);
        awaitHealthy(new Http(port), server);
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        servers.close();
    }

    @Test
    void rejectedHeaderValuesNeverReachTheLog() throws IOException {
        String secret = "sk_live_feedfacefeedfacefeedfacefeedfac"; // a well-formed key once a hex digit is added
        String head = "GET /v1/payments HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
        // Tomcat refuses a control character in a header itself, and used to log the whole header line, value
        // included, for the first such request a connection processor saw: on a fresh server, that is this one.
        RawHttp.Response controlInKey = RawHttp.exchange(port, head + "X-API-Key: " + secret + "\u0001", new byte[0]);
        RawHttp.Response controlInIdempotencyKey = RawHttp.exchange(port, head + "X-API-Key: " + secret + "a\r\n"
                + "Idempotency-Key: \u0002" + secret, new byte[0]);
        RawHttp.Response malformedKey = RawHttp.exchange(port, head + "X-API-Key: " + secret + "-x", new byte[0]);
        RawHttp.Response twoKeys = RawHttp.exchange(port, head + "X-API-Key: " + secret + "0\r\nX-API-Key: "
                + secret + "1", new byte[0]);
        RawHttp.Response badQuery = RawHttp.exchange(port, "GET /actuator/health?" + secret + "=%C0 HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nConnection: close", new byte[0]);

        List<String> log = servers.output(NAME);
        assertThat(log).noneMatch(line -> line.contains(secret));
        assertThat(log).noneMatch(line -> line.contains("IllegalArgumentException")
                || line.contains("InvalidParameterException"));
        assertProblem(controlInKey, 400, "bad_request");
        assertProblem(controlInIdempotencyKey, 400, "bad_request");
        assertProblem(malformedKey, 401, "api_key_invalid");
        assertProblem(twoKeys, 400, "duplicate_header");
        assertProblem(badQuery, 400, "invalid_query");
    }

    @Test
    void slowHeaderConnectionsBeyondEverySlotCannotStarveNormalRequests() throws Exception {
        Queue<Socket> slow = new ConcurrentLinkedQueue<>();
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try {
            for (int i = 0; i < SLOW_CONNECTIONS; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                slow.add(socket);
            }
            // One more header byte on every connection every 2 s: well inside Tomcat's read timeout, so only a
            // deadline on the headers as a whole can end these connections.
            trickle.scheduleWithFixedDelay(() -> slow.removeIf(HostileClientsIT::sendOneByteFails),
                    0, 2, TimeUnit.SECONDS);

            Http http = new Http(port);
            assertThat(http.get("/health", Map.of()).statusCode()).isEqualTo(200);
            assertThat(http.get("/v1/payments?limit=1", Map.of("X-API-Key", Http.DEMO_KEY)).statusCode())
                    .isEqualTo(200);
            assertThat(http.createPayment("/v1/payments", null, Http.SEED_BODY).statusCode()).isEqualTo(201);
        } finally {
            trickle.shutdownNow();
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    private static boolean sendOneByteFails(Socket socket) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write('X');
            out.flush();
            return false;
        } catch (IOException closedByTheServer) {
            return true;
        }
    }
}
