package dev.payrail.platform;

import jakarta.servlet.Filter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP edge shared by every role: Tomcat's error reports as problem+json, a deadline for request headers,
 * the strict query and header checks in front of every handler, and API answers sent with their length.
 */
@Configuration(proxyBeanMethods = false)
class HttpEdgeConfig {

    /**
     * Right after Spring's character-encoding and observation filters (so refusals and faults still count in the
     * request metrics), and before everything that could throw, read a parameter or read a header.
     */
    static final int FAULT_BARRIER_FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 3;
    static final int STRICT_REQUEST_FILTER_ORDER = FAULT_BARRIER_FILTER_ORDER + 1;
    /** Outside the fault barrier, so a problem it writes goes out with its length too. */
    static final int KNOWN_LENGTH_FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 2;

    @Bean
    FilterRegistrationBean<KnownLengthResponses> knownLengthResponses() {
        return registered(new KnownLengthResponses(), KNOWN_LENGTH_FILTER_ORDER, KnownLengthResponses.PATHS);
    }

    @Bean
    FilterRegistrationBean<FaultBarrierFilter> faultBarrierFilter(JsonMapper json) {
        return registered(new FaultBarrierFilter(json), FAULT_BARRIER_FILTER_ORDER, List.of("/*"));
    }

    @Bean
    FilterRegistrationBean<StrictRequestFilter> strictRequestFilter(JsonMapper json) {
        return registered(new StrictRequestFilter(json), STRICT_REQUEST_FILTER_ORDER, List.of("/*"));
    }

    private static <F extends Filter> FilterRegistrationBean<F> registered(F filter, int order,
                                                                          Collection<String> urlPatterns) {
        var registration = new FilterRegistrationBean<>(filter);
        registration.setUrlPatterns(urlPatterns);
        registration.setOrder(order);
        return registration;
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> tomcatEdge(
            JsonMapper json, PayrailProperties properties) {
        return new TomcatEdgeCustomizer(json, properties.http().headerTimeout());
    }

    /** Runs after Spring Boot's own Tomcat customizer, whose error valve it replaces. */
    record TomcatEdgeCustomizer(JsonMapper json, Duration headerTimeout)
            implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.setProtocol(HeaderDeadlineProtocol.class.getName());
            factory.addConnectorCustomizers(connector -> {
                if (connector.getProtocolHandler() instanceof HeaderDeadlineProtocol protocol) {
                    protocol.setHeaderTimeout(headerTimeout);
                }
                // The API takes JSON only: Tomcat never decodes a form body into parameters, so a form with
                // %C0 in it cannot fail a handler that happens to ask for a parameter.
                connector.setParseBodyMethods("");
            });
            factory.addContextCustomizers(context -> {
                Host host = (Host) context.getParent();
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve && !(valve instanceof ProblemErrorReportValve)) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                host.getPipeline().addValve(new ProblemErrorReportValve(json));
                // The host adds its default HTML report at start-up unless a valve of this class is present.
                if (host instanceof StandardHost standardHost) {
                    standardHost.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                }
            });
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
