package dev.payrail.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small HTTP client for tests: real requests to the real server over loopback. */
public final class Http {

    public static final String DEMO_KEY = "sk_live_0b85ac22a90a4019b0e79d07b672cf34";
    public static final String SEED_BODY = "{\"amount\":100,\"currency\":\"USD\",\"order_id\":\"test\"}";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public Http(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public HttpResponse<String> get(String path, Map<String, String> headers) {
        var builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET();
        headers.forEach(builder::header);
        return send(builder.build());
    }

    public HttpResponse<String> post(String path, Map<String, String> headers, String body) {
        var builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(builder::header);
        return send(builder.build());
    }

    /** Any method, with a body when not null. */
    public HttpResponse<String> send(String method, String path, Map<String, String> headers, String body) {
        var builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(builder::header);
        return send(builder.build());
    }

    /** POST as the demo merchant with a JSON body and, when not null, an Idempotency-Key. */
    public HttpResponse<String> createPayment(String path, String idempotencyKey, String body) {
        return post(path, idempotencyKey == null
                ? Map.of("X-API-Key", DEMO_KEY, "Content-Type", "application/json")
                : Map.of("X-API-Key", DEMO_KEY, "Content-Type", "application/json", "Idempotency-Key", idempotencyKey),
                body);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
