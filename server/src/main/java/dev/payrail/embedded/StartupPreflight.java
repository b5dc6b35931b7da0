package dev.payrail.embedded;

import dev.payrail.platform.Role;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * What {@code main} does around Spring so that a start the operator can fix ends with one line on stderr,
 * {@code payrail: <what is wrong and which setting to change>}, and exit code 2 — never a page of stack trace.
 * The commonest mistakes (a second start on the same data directory, a port already taken, an unknown role,
 * half of the external settings) are caught here before Spring starts; the rest are refused by
 * {@link EmbeddedInfrastructure} before any bean exists and come back out of {@code SpringApplication.run}.
 */
public final class StartupPreflight {

    /** Distinct from 1, which the JVM and Spring use for crashes: a refusal is the operator's to fix. */
    public static final int REFUSED_EXIT_CODE = 2;

    private StartupPreflight() {}

    public static void checkOrExit(String[] args) {
        try {
            check(args);
        } catch (StartupRefusedException e) {
            exitRefused(e);
        }
    }

    /**
     * Ends the process with the one line when {@code failure} is (or wraps) a refusal; returns otherwise, so the
     * caller rethrows a genuine fault with its stack trace, which Spring Boot has already logged. A refusal was
     * not logged ({@link StartupRefusalReporter}), so this line is all the operator sees.
     */
    public static void exitIfRefused(Throwable failure) {
        StartupRefusedException.in(failure).ifPresent(StartupPreflight::exitRefused);
    }

    private static void exitRefused(StartupRefusedException refused) {
        System.err.println("payrail: " + refused.getMessage());
        System.exit(REFUSED_EXIT_CODE);
    }

    static void check(String[] args) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
        try {
            Role.active(env);
        } catch (IllegalArgumentException e) {
            throw new StartupRefusedException(e.getMessage());
        }
        if (InfrastructureMode.of(env) == InfrastructureMode.EMBEDDED) {
            DataDirectory.lock(DataDirectory.resolve(env.getProperty("payrail.data.dir")));
            requireFreePort(env, "127.0.0.1", "payrail.embedded.postgres.port", "PAYRAIL_EMBEDDED_POSTGRES_PORT", 0);
            requireFreePort(env, "127.0.0.1", "payrail.embedded.kafka.port", "PAYRAIL_EMBEDDED_KAFKA_PORT", 0);
        }
        requireFreePort(env, env.getProperty("payrail.http.address", "127.0.0.1"), "payrail.http.port",
                "PAYRAIL_HTTP_PORT", 8000);
    }

    private static void requireFreePort(StandardEnvironment env, String address, String property, String variable,
                                        int defaultPort) {
        String value = env.getProperty(property);
        int port;
        try {
            port = value == null || value.isBlank() ? defaultPort : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65_535) {
            throw new StartupRefusedException(variable + " must be a port number from 0 to 65535 (it is '" + value
                    + "')");
        }
        if (port == 0) {
            return; // any free port
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(address), port));
        } catch (IOException e) {
            throw new StartupRefusedException("port " + port + " on " + address
                    + " is already in use (another Payrail?); stop that process or set " + variable);
        }
    }
}
