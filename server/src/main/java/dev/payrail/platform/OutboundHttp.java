package dev.payrail.platform;

import java.time.Duration;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * The one way Payrail calls out over HTTP (to acquirers, to merchants' webhook endpoints): Apache HttpClient 5
 * (classic) on a bounded connection pool of its own, with separate connect, pool-lease and answer time-outs, and
 * with no automatic retries, no redirects and no cookies. Whether a call that may have arrived is sent again is
 * the caller's decision (processing's inquiry first, the webhook schedule), never the client's; a redirect is an
 * answer like any other (a webhook endpoint's 3xx is a failed attempt), not a hop to a place nobody vetted.
 *
 * <p>Connections live at most {@link #CONNECTION_LIFETIME} and are closed after {@link #IDLE_EVICTION} unused, so a
 * peer that moved (DNS) or closed its side is not called on a stale socket for long.
 *
 * @param http the client; {@link #close} closes it and its pool
 */
public record OutboundHttp(CloseableHttpClient http, PoolingHttpClientConnectionManager pool) implements AutoCloseable {

    private static final TimeValue CONNECTION_LIFETIME = TimeValue.ofMinutes(5);
    private static final TimeValue IDLE_EVICTION = TimeValue.ofSeconds(30);

    /**
     * A client for one purpose.
     *
     * @param connectionsMax    connections in the pool, in total and per route (host)
     * @param connectTimeout    to open a connection, and to lease one from the pool
     * @param timeout           for each read of the answer
     * @param validateAfterIdle a pooled connection idle this long is checked before reuse; null: never checked
     * @param resolver          how host names are resolved (a policy may refuse some addresses); null: the system's
     * @param userAgent         the {@code User-Agent} header
     */
    public static OutboundHttp pooled(int connectionsMax, Duration connectTimeout, Duration timeout,
                                      @Nullable Duration validateAfterIdle, @Nullable DnsResolver resolver,
                                      String userAgent) {
        ConnectionConfig.Builder connections = ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(connectTimeout))
                .setSocketTimeout(Timeout.of(timeout))
                .setTimeToLive(CONNECTION_LIFETIME);
        if (validateAfterIdle != null) {
            connections.setValidateAfterInactivity(TimeValue.of(validateAfterIdle));
        }
        PoolingHttpClientConnectionManagerBuilder pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(connectionsMax)
                .setMaxConnPerRoute(connectionsMax)
                .setDefaultConnectionConfig(connections.build());
        if (resolver != null) {
            pool.setDnsResolver(resolver);
        }
        PoolingHttpClientConnectionManager manager = pool.build();
        CloseableHttpClient http = HttpClients.custom()
                .setConnectionManager(manager)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(timeout))
                        .setConnectionRequestTimeout(Timeout.of(connectTimeout))
                        .build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .evictIdleConnections(IDLE_EVICTION)
                .setUserAgent(userAgent)
                .build();
        return new OutboundHttp(http, manager);
    }

    /** Lets calls in progress finish, then closes the client and its pool. */
    @Override
    public void close() {
        http.close(CloseMode.GRACEFUL);
        pool.close(CloseMode.GRACEFUL);
    }
}
