package dev.payrail.payment;

import dev.payrail.idempotency.Claim;
import dev.payrail.idempotency.IdempotencyKey;
import dev.payrail.idempotency.IdempotencyKeys;
import dev.payrail.idempotency.RequestHash;
import dev.payrail.idempotency.StoredAnswer;
import dev.payrail.outbox.Outbox;
import dev.payrail.outbox.OutboxEntry;
import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.Ids;
import dev.payrail.platform.MasterKey;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import dev.payrail.vault.CardVault;
import dev.payrail.vault.SealedCard;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Creates payments: prepares the rows (payment, sealed card, {@link PaymentEvent.PaymentCreated} event,
 * idempotency claim with the first answer), then waits for the group commit to make them durable.
 */
@Service
@ConditionalOnRole(Role.API)
@RequiredArgsConstructor
public class PaymentService {

    /** What the merchant API answers: a status, the exact body, and whether it is a replay. */
    public record Outcome(int status, String body, boolean replayed) {}

    /** What the request hash covers: the request as understood, card number replaced by its fingerprint. */
    private record Canonical(long amount, String currency, String orderId, @Nullable String description,
                             PaymentRequest.@Nullable Customer customer, @Nullable String cardFingerprint,
                             @Nullable Integer expMonth, @Nullable Integer expYear) {}

    private final PaymentWriter writer;
    private final MasterKey masterKey;
    private final CardVault vault;
    private final Outbox outbox;
    private final JsonMapper json;
    private final Clock clock;
    private final PayrailProperties properties;

    public Outcome create(UUID merchantId, @Nullable String idempotencyKey, PaymentRequest request) {
        Instant now = clock.instant();
        UUID paymentId = Ids.next();
        Payment.CardSummary card = null;
        SealedCard sealed = null;
        if (request.card() != null) {
            var c = request.card();
            sealed = vault.seal(paymentId, c.number(), c.cvc(), now);
            card = new Payment.CardSummary(c.bin(), c.last4(), masterKey.cardFingerprint(c.number().value()),
                    c.expMonth(), c.expYear(), sealed.token());
        }
        Payment payment = new Payment(paymentId, merchantId, request.amount(), request.currency(),
                PaymentStatus.PROCESSING, request.orderId(), request.description(), idempotencyKey,
                request.customer(), card, now, now);
        String body = json.writeValueAsString(PaymentView.of(payment));
        OutboxEntry event = outbox.entry(PaymentEvent.PaymentCreated.of(payment), now);
        Claim claim = idempotencyKey == null ? null
                : new Claim(new IdempotencyKey(merchantId, idempotencyKey), PaymentWriter.OPERATION,
                        RequestHash.of(json, canonical(request, card)), paymentId, new StoredAnswer(201, body), now,
                        now.plus(properties.idempotency().retention()));
        var submission = new PaymentWriter.Submission(payment, body, event, claim, sealed, new CompletableFuture<>());
        PaymentWriter.WriteResult result = await(writer.submit(submission));
        return switch (result) {
            case PaymentWriter.WriteResult.Created created -> new Outcome(201, created.body(), false);
            case PaymentWriter.WriteResult.Replayed replayed -> new Outcome(replayed.status(), replayed.body(), true);
            case PaymentWriter.WriteResult.KeyReused reused -> throw IdempotencyKeys.reuse();
            // Deleted between authentication and the commit: the key it came with is no longer valid.
            case PaymentWriter.WriteResult.MerchantGone gone ->
                    throw new ApiProblem(HttpStatus.UNAUTHORIZED, "api_key_invalid", "The API key is not valid.");
        };
    }

    private PaymentWriter.WriteResult await(CompletableFuture<PaymentWriter.WriteResult> future) {
        try {
            return future.get(properties.writer().timeout().toMillis(), TimeUnit.MILLISECONDS);
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

    private static Canonical canonical(PaymentRequest r, Payment.@Nullable CardSummary card) {
        return new Canonical(r.amount(), r.currency(), r.orderId(), r.description(), r.customer(),
                card == null ? null : card.fingerprint(), card == null ? null : card.expMonth(),
                card == null ? null : card.expYear());
    }
}
