package dev.payrail.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Checks run by {@code main} before Spring starts, so that the two mistakes people make most (a second start
 * on the same data directory, a port already taken) end with one line instead of a page of stack trace.
 */
public final class StartupPreflight {

    private StartupPreflight() {}

    public static void checkOrExit(String[] args) {
        try {
            check(args);
        } catch (StartupRefusedException e) {
            System.err.println("payrail: " + e.getMessage());
            System.exit(2);
        }
    }

    static void check(String[] args) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
        try {
            dev.payrail.platform.Role.active(env);
        } catch (IllegalArgumentException e) {
            throw new StartupRefusedException(e.getMessage());
        }
        if (EmbeddedInfrastructure.needsEmbeddedPostgres(env) || EmbeddedInfrastructure.needsEmbeddedKafka(env)) {
            DataDirectory.lock(DataDirectory.resolve(env.getProperty("payrail.data.dir")));
        }
        String address = env.getProperty("payrail.http.address", "127.0.0.1");
        int port = Integer.parseInt(env.getProperty("payrail.http.port", "8000"));
        if (port != 0) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getByName(address), port));
            } catch (IOException e) {
                throw new StartupRefusedException("port " + port + " on " + address
                        + " is already in use (another Payrail?); stop that process or set PAYRAIL_HTTP_PORT");
            }
        }
    }
}
