package dev.payrail.acquirer;

import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The acquirers Payrail can call, by name, each an {@link AcquirerPort} built from {@code PAYRAIL_ACQUIRERS_*}.
 *
 * <p>An acquirer without a configured URL is the simulator of the same name on this very node, reached over
 * loopback HTTP through the same adapter and client a real acquirer gets: {@code
 * http://127.0.0.1:<server port>/simulators/acquirers/<name>}. A node that calls acquirers but does not run the
 * {@code simulators} role needs {@code PAYRAIL_ACQUIRERS_<NAME>_URL}.
 *
 * <p>This bean exists on every node (it is a client, not a role); it opens connections only when called.
 */
@Component
public class Acquirers implements ApplicationListener<WebServerInitializedEvent>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Acquirers.class);

    /** The adapter of each acquirer Payrail knows; a name in the settings without one here stops the start. */
    private static final Map<String, Function<AcquirerClient, AcquirerPort>> ADAPTERS = Map.of(
            AlphaAcquirerAdapter.NAME, AlphaAcquirerAdapter::new,
            BetaAcquirerAdapter.NAME, BetaAcquirerAdapter::new,
            GammaAcquirerAdapter.NAME, GammaAcquirerAdapter::new);

    private final Map<String, AcquirerPort> ports = new LinkedHashMap<>();
    private final Map<String, AcquirerClient> clients = new LinkedHashMap<>();
    private final String ownHost;
    private volatile @Nullable Integer ownPort;

    Acquirers(PayrailProperties properties, Environment environment, Clock clock, MeterRegistry meters) {
        this.ownHost = loopbackOrBound(environment.getProperty("server.address"));
        int configuredPort = environment.getProperty("server.port", Integer.class, 0);
        this.ownPort = configuredPort == 0 ? null : configuredPort; // 0: a free port, known once the server started
        boolean simulatorsHere = Role.active(environment).contains(Role.SIMULATORS);
        properties.acquirers().byName().forEach((name, settings) -> {
            var adapter = ADAPTERS.get(name);
            if (adapter == null) {
                throw new IllegalStateException("no adapter for acquirer " + name);
            }
            Supplier<Optional<String>> baseUrl;
            if (settings.url().isEmpty()) {
                if (!simulatorsHere) {
                    log.warn("PAYRAIL_ACQUIRERS_{}_URL is not set and this node does not run the simulators role: "
                            + "calls to {} will find nobody", name.toUpperCase(Locale.ROOT), name);
                }
                baseUrl = () -> ownBaseUrl().map(base -> base + "/simulators/acquirers/" + name);
            } else {
                String url = settings.url().replaceAll("/+$", "");
                baseUrl = () -> Optional.of(url);
            }
            AcquirerClient client = new AcquirerClient(name, baseUrl, settings, clock, meters);
            clients.put(name, client);
            ports.put(name, adapter.apply(client));
        });
    }

    /** The acquirer of that name, if Payrail has one. */
    public Optional<AcquirerPort> byName(String name) {
        return Optional.ofNullable(ports.get(name));
    }

    /** Every acquirer, in a fixed order (alpha, beta, gamma). */
    public List<AcquirerPort> all() {
        return List.copyOf(ports.values());
    }

    /** The names of every acquirer, what a routing rule may name. */
    public Set<String> names() {
        return Set.copyOf(ports.keySet());
    }

    /**
     * How an acquirer looks from this node, for operators: where it is reached and its circuit breaker's state
     * ({@code closed}, {@code open}, {@code half_open}…), which is this node's own view: each node keeps its circuits.
     */
    public record Condition(String name, @Nullable String baseUrl, String circuitState) {}

    /** Every acquirer's {@link Condition}, in the fixed order. */
    public List<Condition> conditions() {
        return clients.values().stream()
                .map(c -> new Condition(c.name(), c.baseUrl().orElse(null), c.circuitState().toLowerCase(Locale.ROOT)))
                .toList();
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() == null) { // the main server, not a management one
            ownPort = event.getWebServer().getPort();
        }
    }

    private Optional<String> ownBaseUrl() {
        Integer port = ownPort;
        return port == null ? Optional.empty() : Optional.of("http://" + ownHost + ":" + port);
    }

    /** Where this node's own server can be reached from itself: its bound address, or loopback if it binds all. */
    private static String loopbackOrBound(@Nullable String address) {
        if (address == null || address.isBlank() || address.equals("0.0.0.0") || address.equals("::")) {
            return "127.0.0.1";
        }
        return address.contains(":") ? "[" + address + "]" : address;
    }

    @Override
    public void close() {
        clients.values().forEach(AcquirerClient::close);
    }
}
