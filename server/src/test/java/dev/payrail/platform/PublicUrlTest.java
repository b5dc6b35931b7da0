package dev.payrail.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * The OpenAPI description's {@code servers} entry is {@code PAYRAIL_PUBLIC_URL} when it is set, whatever the
 * request's Host and X-Forwarded-* headers say (a client chooses those; a generated client would call that server).
 * The fallback without it, the node's loopback address, is checked over HTTP by {@code SecureDefaultsIT}.
 */
class PublicUrlTest {

    @Test
    void theConfiguredPublicUrlIsTheServerNotTheRequestsHost() {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment",
                Map.of("PAYRAIL_PUBLIC_URL", "https://pay.example.com/", "SERVER_PORT", "8000")));
        PayrailProperties settings = SettingsTable.bind(env);
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v3/api-docs");
        request.addHeader("Host", "evil.example");
        request.addHeader("X-Forwarded-Host", "evil.example");

        String server = new OpenApiConfig().configuredServerUrl(settings, env)
                .customize("http://evil.example", new ServletServerHttpRequest(request));

        assertThat(server).isEqualTo("https://pay.example.com");
    }
}
