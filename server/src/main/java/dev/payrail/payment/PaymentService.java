package dev.payrail.payment;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.Ids;
import dev.payrail.platform.MasterKey;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/** Creates payments: prepares the rows and the first answer, then waits for the group commit to make them durable. */
@Service
@ConditionalOnRole(Role.API)
public class PaymentService {

    /** What the merchant API answers: a status, the exact body, and whether it is a replay. */
    public record Outcome(int status, String body, boolean replayed) {}

    /**
     * The envelope of every event on Kafka; {@code event_id} is unique so consumers can drop duplicates. The
     * payment inside is the already-serialized answer body, embedded raw rather than serialized twice.
     */
    record EventEnvelope(String eventId, String eventType, long createdAt, @JsonRawValue String data) {}

    /** What the request hash covers: the request as understood, card number replaced by its fingerprint. */
    private record Canonical(long amount, String currency, String orderId, String description,
                             PaymentRequest.Customer customer, String cardFingerprint, Integer expMonth,
                             Integer expYear) {}

    private final PaymentWriter writer;
    private final MasterKey masterKey;
    private final JsonMapper json;
    private final Clock clock;
    private final Duration keyRetention;
    private final Duration answerTimeout;

    public PaymentService(PaymentWriter writer, MasterKey masterKey, JsonMapper json, Clock clock,
                          PayrailProperties properties) {
        this.writer = writer;
        this.masterKey = masterKey;
        this.json = json;
        this.clock = clock;
        this.keyRetention = properties.idempotency().retention();
        this.answerTimeout = properties.writer().timeout();
    }

    public Outcome create(UUID merchantId, String idempotencyKey, PaymentRequest request) {
        Instant now = clock.instant();
        Payment.CardSummary card = null;
        if (request.card() != null) {
            var c = request.card();
            card = new Payment.CardSummary(c.bin(), c.last4(), masterKey.cardFingerprint(c.number().value()),
                    c.expMonth(), c.expYear());
        }
        Payment payment = new Payment(Ids.next(), merchantId, request.amount(), request.currency(),
                PaymentStatus.PROCESSING, request.orderId(), request.description(), idempotencyKey,
                request.customer(), card, now, now);
        PaymentView view = PaymentView.of(payment);
        String body = json.writeValueAsString(view);
        UUID eventId = Ids.next();
        String event = json.writeValueAsString(new EventEnvelope(eventId.toString(), Payment.CREATED_EVENT_TYPE,
                now.getEpochSecond(), body));
        String hash = idempotencyKey == null ? null : requestHash(request, card);
        var submission = new PaymentWriter.Submission(payment, body, eventId, event, hash, now.plus(keyRetention),
                new CompletableFuture<>());
        PaymentWriter.WriteResult result = await(writer.submit(submission));
        return switch (result) {
            case PaymentWriter.WriteResult.Created created -> new Outcome(201, created.body(), false);
            case PaymentWriter.WriteResult.Replayed replayed -> new Outcome(replayed.status(), replayed.body(), true);
            case PaymentWriter.WriteResult.KeyReused reused -> throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT,
                    "idempotency_key_reuse",
                    "This Idempotency-Key was already used with a different request body.");
        };
    }

    private PaymentWriter.WriteResult await(CompletableFuture<PaymentWriter.WriteResult> future) {
        try {
            return future.get(answerTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        } catch (ExecutionException | TimeoutException e) {
            throw unavailable();
        }
    }

    private static ApiProblem unavailable() {
        // The outcome may still commit; a retry with the same Idempotency-Key is always safe.
        return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "temporarily_unavailable",
                "The payment could not be recorded right now; retry with the same Idempotency-Key.");
    }

    private String requestHash(PaymentRequest r, Payment.CardSummary card) {
        var canonical = new Canonical(r.amount(), r.currency(), r.orderId(), r.description(), r.customer(),
                card == null ? null : card.fingerprint(), card == null ? null : card.expMonth(),
                card == null ? null : card.expYear());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(json.writeValueAsString(canonical).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
