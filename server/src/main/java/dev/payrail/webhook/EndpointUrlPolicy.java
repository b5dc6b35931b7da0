package dev.payrail.webhook;

import dev.payrail.platform.PayrailProperties;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Which endpoint URLs Payrail will call (server-side request forgery guard). In embedded mode anything http(s)
 * goes: it is one developer's machine, and the demo endpoint is this node's own receiver. Otherwise https is
 * required (unless {@code PAYRAIL_WEBHOOKS_REQUIRE_HTTPS=false}) and a host that resolves to a loopback, private,
 * link-local (cloud metadata), shared, multicast or unspecified address is refused unless
 * {@code PAYRAIL_WEBHOOKS_ALLOWED_HOSTS} names it. The check runs when an endpoint is saved and again at every
 * connection ({@link #resolver()}), so a name that later resolves elsewhere (DNS rebinding) is still refused.
 */
@Component
class EndpointUrlPolicy {

    private final boolean embedded;
    private final boolean requireHttps;
    private final Set<String> allowedHosts;

    @org.springframework.beans.factory.annotation.Autowired
    EndpointUrlPolicy(PayrailProperties properties, Environment environment) {
        this(environment.getProperty("payrail.embedded.active", Boolean.class, false),
                properties.webhooks().requireHttps(), properties.webhooks().allowedHosts());
    }

    EndpointUrlPolicy(boolean embedded, boolean requireHttps, java.util.Collection<String> allowedHosts) {
        this.embedded = embedded;
        this.requireHttps = requireHttps;
        this.allowedHosts = allowedHosts.stream()
                .map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).collect(Collectors.toSet());
    }

    /** Why this URL is refused, or empty when it may be used. Resolves the host (outside embedded mode). */
    Optional<String> refusal(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            return Optional.of("Must be an absolute http or https URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null || uri.getUserInfo() != null) {
            return Optional.of("Must be an absolute http or https URL without user info.");
        }
        if (embedded) {
            return Optional.empty();
        }
        if (requireHttps && !"https".equals(scheme)) {
            return Optional.of("Must be an https URL.");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(stripBrackets(uri.getHost()));
        } catch (UnknownHostException notResolvable) {
            // Not refused for that: DNS may not know it yet. Every connection is checked again (resolver()).
            return Optional.empty();
        }
        try {
            checkAddresses(uri.getHost(), addresses);
        } catch (UnknownHostException refused) {
            return Optional.of("Must not point at a private, loopback or link-local address.");
        }
        return Optional.empty();
    }

    /** The DNS resolver of the sender's HTTP client: refuses forbidden addresses at every connection. */
    DnsResolver resolver() {
        SystemDefaultDnsResolver system = SystemDefaultDnsResolver.INSTANCE;
        return new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                InetAddress[] addresses = system.resolve(host);
                if (!embedded) {
                    checkAddresses(host, addresses);
                }
                return addresses;
            }

            @Override
            public String resolveCanonicalHostname(String host) throws UnknownHostException {
                return system.resolveCanonicalHostname(host);
            }
        };
    }

    private void checkAddresses(String host, InetAddress[] addresses) throws UnknownHostException {
        if (allowedHosts.contains(stripBrackets(host).toLowerCase(Locale.ROOT))) {
            return;
        }
        for (InetAddress address : addresses) {
            if (isInternal(address) && !allowedHosts.contains(address.getHostAddress())) {
                throw new UnknownHostException("refused: " + host + " resolves to an internal address");
            }
        }
    }

    static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128) // shared address space
                    || (first == 198 && (second == 18 || second == 19)); // benchmarking
        }
        if (address instanceof Inet6Address) {
            return (b[0] & 0xfe) == 0xfc; // unique local fc00::/7
        }
        return false;
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
