package dev.payrail.admin;

import static org.springframework.http.MediaType.APPLICATION_JSON_VALUE;

import dev.payrail.admin.MerchantAdminController.KeyView;
import dev.payrail.audit.AuditLog;
import dev.payrail.merchant.Merchants;
import dev.payrail.platform.AdminApi;
import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.ApiProblem.FieldProblem;
import dev.payrail.platform.JsonFields;
import dev.payrail.platform.PayrailProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import tools.jackson.databind.JsonNode;

/**
 * A merchant's API keys: issue another, rotate one (the successor is shown once; the old key keeps working for
 * {@code PAYRAIL_API_KEYS_ROTATION_GRACE}, 24 h by default), revoke one (at once). Each change is audited in its
 * transaction, with the key's id and prefix only.
 */
@AdminApi
@Tag(name = "Admin: merchants", description = AdminApi.BEARER)
@RequiredArgsConstructor
class ApiKeyAdminController {

    private static final String KEYS = "/merchants/{merchantId}/api-keys";

    private final Merchants merchants;
    private final TransactionTemplate tx;
    private final AuditLog audit;
    private final Clock clock;
    private final PayrailProperties properties;

    /** A key the one time it is shown in full: {@code api_key}, beside its lifecycle. */
    record IssuedKeyView(String id, String apiKey, String prefix, String status, long createdAt) {

        static IssuedKeyView of(Merchants.IssuedKey issued, Instant now) {
            var key = issued.key();
            return new IssuedKeyView(key.apiKeyId().toString(), issued.apiKey(), key.prefix(), key.status(now),
                    key.createdAt().getEpochSecond());
        }
    }

    /** A rotation: the successor (shown once) and the old key, working until its {@code expires_at}. */
    record RotationView(IssuedKeyView apiKey, KeyView previous) {}

    /** What the audit log keeps of a key: never the key, only its id and prefix. */
    record KeySnapshot(String id, String merchantId, String prefix, String status, @Nullable Long expiresAt,
                       @Nullable String replacedBy) {

        static KeySnapshot of(Merchants.ApiKey key, Instant now) {
            return new KeySnapshot(key.apiKeyId().toString(), key.merchantId().toString(), key.prefix(),
                    key.status(now), MerchantAdminController.seconds(key.expiresAt()),
                    key.replacedBy() == null ? null : key.replacedBy().toString());
        }
    }

    @Operation(summary = "Issue another API key to a merchant (the only time it is shown in full)",
            description = "Role: admin. The merchant's other keys keep working.")
    @PostMapping(path = KEYS, produces = APPLICATION_JSON_VALUE)
    ResponseEntity<IssuedKeyView> create(@PathVariable String merchantId) {
        UUID merchant = MerchantAdminController.id(merchantId, merchants);
        Instant now = clock.instant();
        Merchants.IssuedKey issued = tx.execute(status -> {
            merchants.lockForChange(merchant).orElseThrow(MerchantAdminController::notFound);
            Merchants.IssuedKey made = merchants.issueApiKey(merchant, null);
            audit.record("api_key.create", "api_key", made.key().apiKeyId(), null, KeySnapshot.of(made.key(), now));
            return made;
        });
        return ResponseEntity.created(URI.create("/admin-api/merchants/" + merchant + "/api-keys/"
                + issued.key().apiKeyId())).body(IssuedKeyView.of(issued, now));
    }

    @Operation(summary = "Rotate an API key: a successor now, the old key valid for the grace period",
            description = "Role: admin. The successor is shown once. The old key keeps working until its "
                    + "expires_at (PAYRAIL_API_KEYS_ROTATION_GRACE after the rotation, 24 h by default). "
                    + "An optional body {\"grace_seconds\": n} (0 to 30 days) sets another grace for this "
                    + "rotation, e.g. shorter when the old key may have leaked. "
                    + "409 api_key_revoked or api_key_rotated when the key is not live.")
    @PostMapping(path = KEYS + "/{keyId}/rotate", produces = APPLICATION_JSON_VALUE)
    ResponseEntity<RotationView> rotate(@PathVariable String merchantId, @PathVariable String keyId,
                                        @Parameter(hidden = true) @RequestBody(required = false) @Nullable JsonNode body) {
        UUID merchant = MerchantAdminController.id(merchantId, merchants);
        UUID key = keyId(keyId);
        Duration grace = grace(body);
        Instant now = clock.instant();
        Merchants.Rotation rotation;
        try {
            rotation = tx.execute(status -> {
                Merchants.ApiKey before = merchants.apiKey(merchant, key).orElseThrow(ApiKeyAdminController::keyNotFound);
                Merchants.Rotation made = merchants.rotateApiKey(merchant, key, grace)
                        .orElseThrow(ApiKeyAdminController::keyNotFound);
                audit.record("api_key.rotate", "api_key", key, KeySnapshot.of(before, now),
                        KeySnapshot.of(made.previous(), now));
                audit.record("api_key.create", "api_key", made.successor().key().apiKeyId(), null,
                        KeySnapshot.of(made.successor().key(), now));
                return made;
            });
        } catch (Merchants.ApiKeyNotLiveException e) {
            throw new ApiProblem(HttpStatus.CONFLICT, e.code(), e.getMessage());
        }
        var view = new RotationView(IssuedKeyView.of(rotation.successor(), now), KeyView.of(rotation.previous(), now));
        return ResponseEntity.created(URI.create("/admin-api/merchants/" + merchant + "/api-keys/"
                + rotation.successor().key().apiKeyId())).body(view);
    }

    @Operation(summary = "Revoke an API key at once",
            description = "Role: admin. Refused from the next request on this node (other nodes within 30 s). "
                    + "Revoking a revoked key changes nothing.")
    @PostMapping(path = KEYS + "/{keyId}/revoke", produces = APPLICATION_JSON_VALUE)
    KeyView revoke(@PathVariable String merchantId, @PathVariable String keyId) {
        UUID merchant = MerchantAdminController.id(merchantId, merchants);
        UUID key = keyId(keyId);
        Instant now = clock.instant();
        Merchants.ApiKey revoked = tx.execute(status -> {
            Merchants.ApiKey before = merchants.apiKey(merchant, key).orElseThrow(ApiKeyAdminController::keyNotFound);
            Merchants.ApiKey after = merchants.revokeApiKey(merchant, key).orElseThrow(ApiKeyAdminController::keyNotFound);
            if (before.revokedAt() != null) {
                audit.nothingChanged();
            } else {
                audit.record("api_key.revoke", "api_key", key, KeySnapshot.of(before, now), KeySnapshot.of(after, now));
            }
            return after;
        });
        return KeyView.of(revoked, now);
    }

    /** The grace of this rotation: {@code grace_seconds} from the body, else the setting. */
    private Duration grace(@Nullable JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return properties.apiKeys().rotationGrace();
        }
        if (!body.isObject()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "invalid_body", "The body must be a JSON object.");
        }
        if (!body.has("grace_seconds")) {
            return properties.apiKeys().rotationGrace();
        }
        List<FieldProblem> errors = new ArrayList<>();
        Integer seconds = JsonFields.integer(body.get("grace_seconds"), "grace_seconds", 0, GRACE_SECONDS_MAX, errors);
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        return Duration.ofSeconds(Objects.requireNonNull(seconds));
    }

    private static final int GRACE_SECONDS_MAX = 30 * 24 * 3600;

    private static UUID keyId(String keyId) {
        try {
            return UUID.fromString(keyId.trim());
        } catch (IllegalArgumentException e) {
            throw keyNotFound();
        }
    }

    private static ApiProblem keyNotFound() {
        return ApiProblem.notFound("api_key_not_found", "The merchant has no such API key.");
    }
}
