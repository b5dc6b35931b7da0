package dev.payrail.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A browser-like client of the admin API: keeps cookies, logs in with an operator account, and sends the
 * {@code X-XSRF-TOKEN} header with every change as the console does (unless told not to).
 */
public final class OperatorSession {

    private final String base;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient client;

    public OperatorSession(int port) {
        this.base = "http://127.0.0.1:" + port;
        this.client = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Logs in as the first admin of {@link IntegrationTest}. */
    public static OperatorSession admin(int port) {
        OperatorSession session = new OperatorSession(port);
        HttpResponse<String> answer = session.login(IntegrationTest.ADMIN_EMAIL, IntegrationTest.ADMIN_PASSWORD);
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("admin login failed: " + answer.statusCode() + " " + answer.body());
        }
        return session;
    }

    public HttpResponse<String> login(String email, String password) {
        return send("POST", "/admin-api/session", Json.object("email", email, "password", password), true);
    }

    public Optional<HttpCookie> cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).findFirst();
    }

    public HttpResponse<String> get(String path) {
        return send("GET", path, null, true);
    }

    public HttpResponse<String> send(String method, String path, String body) {
        return send(method, path, body, true);
    }

    /** {@code withCsrfHeader=false}: what a forged cross-site request would send (the cookie, not the header). */
    public HttpResponse<String> send(String method, String path, String body, boolean withCsrfHeader) {
        var builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        if (withCsrfHeader) {
            cookie("XSRF-TOKEN").ifPresent(token -> builder.header("X-XSRF-TOKEN", token.getValue()));
        }
        try {
            return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, String> json() {
        return Map.of("Content-Type", "application/json");
    }
}
