package dev.payrail.webhook;

import dev.payrail.merchant.Merchants;
import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.Role;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The merchant receiver simulator: what a merchant's webhook handler should do, with switches to misbehave. Each
 * named receiver verifies both signatures (Standard Webhooks against the secrets of the merchant's endpoints,
 * {@code X-Signature} against its api_secret, both read from the database) and a timestamp within 5 minutes,
 * drops a {@code webhook-id} it already accepted (answering 200, as a handler must), and records what came. Its
 * faults: fail the next N requests with a status, answer slowly, be down (503) for T seconds.
 */
@Component
@ConditionalOnRole(Role.SIMULATORS)
@RequiredArgsConstructor
class MerchantReceiver {

    static final int LOG_MAX = 5_000;
    static final int RECEIVERS_MAX = 100;
    private static final Duration TOLERANCE = Duration.ofMinutes(5);

    private final WebhookEndpoints endpoints;
    private final Merchants merchants;
    private final JsonMapper json;
    private final Clock clock;
    private final Map<String, State> receivers = new ConcurrentHashMap<>();
    /** Merchant → (endpoint secrets, api_secret), for a few seconds: a receiver under load asks the database less. */
    private final com.github.benmanes.caffeine.cache.Cache<UUID, Secrets> secrets =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(10_000)
                    .expireAfterWrite(Duration.ofSeconds(5)).build();

    private record Secrets(List<String> endpointSecrets, Optional<String> apiSecret) {}

    /** One request as the receiver saw it. */
    record Received(@Nullable String webhookId, @Nullable String type, Instant receivedAt, boolean standardSignatureValid,
                    boolean legacySignatureValid, boolean duplicate, int answered, String body, Headers headers) {}

    /** The signature headers as they came, so a log reader can verify them with a library of its own. */
    record Headers(@Nullable String webhookId, @Nullable String webhookTimestamp, @Nullable String webhookSignature,
                   @Nullable String xSignature) {}

    /** The fault switches. */
    record Faults(int failNext, int failStatus, long slowMs, @Nullable Instant downUntil) {}

    /** A receiver's log: counts and the latest requests, newest first. */
    record Log(String receiver, long accepted, long duplicates, long refused, Faults faults, List<Received> received) {}

    private static final class State {
        final Deque<Received> log = new ArrayDeque<>();
        /** Accepted webhook-ids, the oldest forgotten past a million (a real handler keeps them for days). */
        final Set<String> seen = java.util.Collections.newSetFromMap(new java.util.LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > 1_000_000;
            }
        });
        long accepted;
        long duplicates;
        long refused;
        Faults faults = new Faults(0, 500, 0, null);
    }

    /** Handles one webhook; returns the status to answer. */
    int receive(String name, byte[] body, @Nullable String id, @Nullable String timestamp, @Nullable String signature,
                @Nullable String legacySignature) {
        State state = state(name);
        Headers headers = new Headers(id, timestamp, signature, legacySignature);
        Faults faults;
        synchronized (state) {
            faults = state.faults;
            Instant now = clock.instant();
            if (faults.downUntil() != null && now.isBefore(faults.downUntil())) {
                return refuse(state, id, body, 503, headers);
            }
            if (faults.failNext() > 0) {
                state.faults = new Faults(faults.failNext() - 1, faults.failStatus(), faults.slowMs(), faults.downUntil());
                return refuse(state, id, body, faults.failStatus(), headers);
            }
        }
        if (faults.slowMs() > 0) {
            try {
                Thread.sleep(faults.slowMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Verdict verdict = verify(body, id, timestamp, signature, legacySignature);
        synchronized (state) {
            if (!verdict.standard() || !verdict.legacy()) {
                state.refused++;
                add(state, new Received(id, verdict.type(), clock.instant(), verdict.standard(), verdict.legacy(),
                        false, 400, text(body), headers));
                return 400;
            }
            boolean duplicate = !state.seen.add(id);
            if (duplicate) {
                state.duplicates++;
            } else {
                state.accepted++;
            }
            add(state, new Received(id, verdict.type(), clock.instant(), true, true, duplicate, 200, text(body), headers));
            return 200;
        }
    }

    private record Verdict(boolean standard, boolean legacy, @Nullable String type) {}

    private Verdict verify(byte[] body, @Nullable String id, @Nullable String timestamp, @Nullable String signature,
                           @Nullable String legacySignature) {
        JsonNode parsed;
        try {
            parsed = json.readTree(body);
        } catch (RuntimeException e) {
            return new Verdict(false, false, null);
        }
        String type = parsed.path("type").asString(null);
        Optional<UUID> merchant = uuid(parsed.path("data").path("merchant_id").asString(""));
        if (merchant.isEmpty() || id == null || timestamp == null) {
            return new Verdict(false, false, type);
        }
        boolean standard = false;
        try {
            long ts = Long.parseLong(timestamp.trim());
            boolean fresh = Math.abs(clock.instant().getEpochSecond() - ts) <= TOLERANCE.toSeconds();
            if (fresh && signature != null) {
                for (String secret : secretsOf(merchant.get()).endpointSecrets()) {
                    standard |= Signatures.verifyStandard(secret, signature, id, ts, body);
                }
            }
        } catch (NumberFormatException e) {
            standard = false;
        }
        boolean legacy = legacySignature != null && secretsOf(merchant.get()).apiSecret()
                .map(secret -> Signatures.verifyLegacy(secret, legacySignature, body)).orElse(false);
        return new Verdict(standard, legacy, type);
    }

    private Secrets secretsOf(UUID merchantId) {
        return secrets.get(merchantId, id -> new Secrets(endpoints.merchantSigningSecrets(id), merchants.apiSecret(id)));
    }

    private int refuse(State state, @Nullable String id, byte[] body, int status, Headers headers) {
        state.refused++;
        add(state, new Received(id, null, clock.instant(), false, false, false, status, text(body), headers));
        return status;
    }

    private static void add(State state, Received received) {
        state.log.addFirst(received);
        while (state.log.size() > LOG_MAX) {
            state.log.removeLast();
        }
    }

    Log log(String name, int limit) {
        State state = state(name);
        synchronized (state) {
            return new Log(name, state.accepted, state.duplicates, state.refused, state.faults,
                    new ArrayList<>(state.log).subList(0, Math.min(limit, state.log.size())));
        }
    }

    Faults setFaults(String name, @Nullable Integer failNext, @Nullable Integer failStatus, @Nullable Long slowMs,
                     @Nullable Long downSeconds) {
        State state = state(name);
        synchronized (state) {
            Faults f = state.faults;
            state.faults = new Faults(failNext == null ? f.failNext() : failNext,
                    failStatus == null ? f.failStatus() : failStatus,
                    slowMs == null ? f.slowMs() : slowMs,
                    downSeconds == null ? f.downUntil()
                            : downSeconds == 0 ? null : clock.instant().plusSeconds(downSeconds));
            return state.faults;
        }
    }

    void reset(String name) {
        receivers.remove(name);
    }

    private State state(String name) {
        State existing = receivers.get(name);
        if (existing != null) {
            return existing;
        }
        if (receivers.size() >= RECEIVERS_MAX) {
            throw new IllegalStateException("too many receivers");
        }
        return receivers.computeIfAbsent(name, n -> new State());
    }

    private static String text(byte[] body) {
        return new String(body, 0, Math.min(body.length, 16_384), StandardCharsets.UTF_8);
    }

    private static Optional<UUID> uuid(String text) {
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
