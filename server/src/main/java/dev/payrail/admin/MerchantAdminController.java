package dev.payrail.admin;

import static org.springframework.http.MediaType.APPLICATION_JSON_VALUE;

import dev.payrail.audit.AuditLog;
import dev.payrail.merchant.ApiKeys;
import dev.payrail.merchant.Merchant;
import dev.payrail.merchant.Merchants;
import dev.payrail.platform.AdminApi;
import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.ApiProblem.FieldProblem;
import dev.payrail.platform.Ids;
import dev.payrail.platform.JsonBody;
import dev.payrail.platform.JsonFields;
import dev.payrail.webhook.WebhookEndpoints;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import tools.jackson.databind.JsonNode;

/**
 * Merchants in the admin API, under {@code /admin-api} and {@code /api/admin-api}: the prototype's list, create,
 * change and delete (its shapes, times in epoch seconds, secrets masked outside creation), a merchant's detail with
 * its API keys and webhook endpoints, and suspend / resume. Every change is written to the audit log in its own
 * transaction. API keys have their own controller ({@link ApiKeyAdminController}).
 */
@AdminApi
@Tag(name = "Admin: merchants", description = AdminApi.BEARER)
@RequiredArgsConstructor
class MerchantAdminController {

    private final Merchants merchants;
    private final WebhookEndpoints webhookEndpoints;
    private final TransactionTemplate tx;
    private final AuditLog audit;
    private final Clock clock;

    /**
     * A merchant in the list, in the prototype's shape ({@code id, webhook_url, api_secret, api_key}) but with
     * the secrets masked: the full API key and secret are shown only at creation (README, compatibility notes).
     */
    record ListedMerchant(String id, String name, String webhookUrl, String apiSecret, String apiKey, long createdAt) {}

    @Operation(summary = "Merchants, oldest first; API key and api_secret shown as a prefix only",
            description = "Role: viewer.")
    @GetMapping(path = "/merchants", produces = APPLICATION_JSON_VALUE)
    List<ListedMerchant> list() {
        return merchants.list().stream().map(m -> new ListedMerchant(m.merchantId().toString(), m.name(),
                m.webhookUrl(), m.apiSecretPrefix(), m.apiKeyPrefix() == null ? "" : m.apiKeyPrefix(),
                m.createdAt().getEpochSecond())).toList();
    }

    /**
     * The answer at creation: the only time the full API key and the first webhook endpoint's signing secret
     * ({@code webhook_secret}, Standard Webhooks {@code whsec_…}) are shown.
     */
    record CreatedMerchant(String id, String name, String webhookUrl, String apiSecret, String apiKey,
                           String apiKeyPrefix, long createdAt, String webhookEndpointId, String webhookSecret) {}

    /** The request body, for the OpenAPI description; the handler validates the JSON itself. */
    @Schema(name = "CreateMerchant")
    record CreateMerchantBody(
            @Schema(description = "Where webhooks go (http or https)", requiredMode = Schema.RequiredMode.REQUIRED)
            String webhookUrl,
            @Schema(description = "Webhook signing secret; stored encrypted", requiredMode = Schema.RequiredMode.REQUIRED)
            String apiSecret,
            @Schema(description = "sk_live_ + 32 hex digits; generated when absent") String apiKey,
            String name) {}

    @Operation(summary = "Create a merchant (the only time the full API key is shown)",
            description = "Role: admin.")
    @JsonBody(CreateMerchantBody.class)
    @PostMapping(path = "/merchants", consumes = APPLICATION_JSON_VALUE, produces = APPLICATION_JSON_VALUE)
    ResponseEntity<CreatedMerchant> create(@Parameter(hidden = true) @RequestBody JsonNode body) {
        JsonFields.object(body);
        List<FieldProblem> errors = new ArrayList<>();
        String webhookUrl = text(body, "webhook_url", true, 2048, errors);
        String apiSecret = text(body, "api_secret", true, 255, errors);
        String apiKey = text(body, "api_key", false, 64, errors);
        String name = text(body, "name", false, 255, errors);
        refuseIfInvalid(webhookUrl, apiKey, errors);
        String key = apiKey != null ? apiKey : ApiKeys.generate();
        record Made(Merchant merchant, WebhookEndpoints.WithSecret endpoint) {}
        Made made;
        try {
            // The merchant and its first webhook endpoint (the prototype's webhook_url) exist together or not at all.
            made = tx.execute(status -> {
                Merchant merchant = merchants.create(Ids.next(), name == null ? "" : name, webhookUrl, apiSecret, key);
                var endpoint = webhookEndpoints.create(merchant.merchantId(), webhookUrl, List.of());
                audit.record("merchant.create", "merchant", merchant.merchantId(), null,
                        snapshot(merchants.find(merchant.merchantId()).orElseThrow()));
                return new Made(merchant, endpoint);
            });
        } catch (Merchants.ApiKeyTakenException e) {
            throw new ApiProblem(HttpStatus.CONFLICT, "api_key_taken", "That API key belongs to another merchant.");
        }
        Merchant merchant = made.merchant();
        var created = new CreatedMerchant(merchant.merchantId().toString(), merchant.name(), merchant.webhookUrl(),
                apiSecret, key, ApiKeys.prefix(key), merchant.createdAt().getEpochSecond(),
                made.endpoint().endpoint().endpointId().toString(), made.endpoint().secret());
        return ResponseEntity.created(URI.create("/admin-api/merchants/" + merchant.merchantId())).body(created);
    }

    /** An API key in a merchant's detail: its prefix and lifecycle, never the key. Times in epoch seconds. */
    record KeyView(String id, String prefix, String status, long createdAt, @Nullable Long lastUsedAt,
                   @Nullable Long revokedAt, @Nullable Long expiresAt, @Nullable String replacedBy) {

        static KeyView of(Merchants.ApiKey key, Instant now) {
            return new KeyView(key.apiKeyId().toString(), key.prefix(), key.status(now), key.createdAt().getEpochSecond(),
                    seconds(key.lastUsedAt()), seconds(key.revokedAt()), seconds(key.expiresAt()),
                    key.replacedBy() == null ? null : key.replacedBy().toString());
        }
    }

    /** A webhook endpoint in a merchant's detail, without its secret. */
    record EndpointView(String id, String url, boolean enabled, @Nullable String disabledReason,
                        List<String> eventTypes, long createdAt, long updatedAt) {

        static EndpointView of(WebhookEndpoints.Endpoint e) {
            return new EndpointView(e.endpointId().toString(), e.url(), e.enabled(), e.disabledReason(),
                    e.eventTypes(), e.createdAt().getEpochSecond(), e.updatedAt().getEpochSecond());
        }
    }

    /**
     * One merchant: the list's fields (secrets masked the same way), its standing ({@code active} or
     * {@code suspended}), its API keys and its webhook endpoints.
     */
    record MerchantDetail(String id, String name, String webhookUrl, String apiSecret, String apiKey, String status,
                          long createdAt, long updatedAt, @Nullable Long suspendedAt, List<KeyView> apiKeys,
                          List<EndpointView> webhookEndpoints) {}

    @Operation(summary = "One merchant with its standing, API keys (prefixes) and webhook endpoints",
            description = "Role: viewer.")
    @GetMapping(path = "/merchants/{merchantId}", produces = APPLICATION_JSON_VALUE)
    MerchantDetail get(@PathVariable String merchantId) {
        return detail(id(merchantId));
    }

    /** The request body of a change, for the OpenAPI description; the handler validates the JSON itself. */
    @Schema(name = "UpdateMerchant")
    record UpdateMerchantBody(
            String name,
            @Schema(description = "Where webhooks go; also the first webhook endpoint's address") String webhookUrl,
            @Schema(description = "Signing secret of X-Signature; stored encrypted") String apiSecret,
            @Schema(description = "sk_live_ + 32 hex digits: replaces the merchant's live keys at once") String apiKey) {}

    @Operation(summary = "Change a merchant: any of name, webhook_url, api_secret, api_key",
            description = "Role: admin. webhook_url also moves the merchant's first webhook endpoint; api_key "
                    + "replaces every live key of the merchant at once (the prototype's single key). 400 "
                    + "nothing_to_change when the body names none of them.")
    @JsonBody(UpdateMerchantBody.class)
    @PatchMapping(path = "/merchants/{merchantId}",
            consumes = APPLICATION_JSON_VALUE, produces = APPLICATION_JSON_VALUE)
    MerchantDetail update(@PathVariable String merchantId, @Parameter(hidden = true) @RequestBody JsonNode body) {
        UUID id = id(merchantId);
        JsonFields.object(body);
        List<String> fields = List.of("name", "webhook_url", "api_secret", "api_key");
        List<String> changed = fields.stream().filter(f -> body.has(f) && !body.get(f).isNull()).toList();
        if (changed.isEmpty()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "nothing_to_change",
                    "Send at least one of name, webhook_url, api_secret, api_key.");
        }
        List<FieldProblem> errors = new ArrayList<>();
        String name = changed.contains("name") ? nameOf(body.get("name"), errors) : null;
        String webhookUrl = text(body, "webhook_url", changed.contains("webhook_url"), 2048, errors);
        String apiSecret = text(body, "api_secret", changed.contains("api_secret"), 255, errors);
        String apiKey = text(body, "api_key", changed.contains("api_key"), 64, errors);
        refuseIfInvalid(webhookUrl, apiKey, errors);
        try {
            tx.executeWithoutResult(status -> {
                Merchants.Listed before = merchants.lockForChange(id).orElseThrow(MerchantAdminController::notFound);
                merchants.update(id, name, webhookUrl, apiSecret);
                if (webhookUrl != null) {
                    moveFirstEndpoint(id, webhookUrl);
                }
                if (apiKey != null) {
                    merchants.replaceApiKeys(id, apiKey);
                }
                audit.record("merchant.update", "merchant", id, snapshot(before),
                        new Changed(snapshot(merchants.find(id).orElseThrow()), changed));
            });
        } catch (Merchants.ApiKeyTakenException e) {
            throw new ApiProblem(HttpStatus.CONFLICT, "api_key_taken",
                    "That API key belongs to another merchant or was revoked; a key is never reused.");
        }
        return detail(id);
    }

    @Operation(summary = "Delete a merchant with its API keys and webhook endpoints",
            description = "Role: admin. 409 merchant_has_payments when any payment refers to it (suspend it "
                    + "instead); its keys stop working on this node at once.")
    @DeleteMapping(path = "/merchants/{merchantId}")
    ResponseEntity<Void> delete(@PathVariable String merchantId) {
        UUID id = id(merchantId);
        try {
            tx.executeWithoutResult(status -> {
                Merchants.Listed before = merchants.lockForChange(id).orElseThrow(MerchantAdminController::notFound);
                merchants.delete(id);
                audit.record("merchant.delete", "merchant", id, snapshot(before), null);
            });
        } catch (Merchants.MerchantHasPaymentsException e) {
            throw new ApiProblem(HttpStatus.CONFLICT, "merchant_has_payments",
                    "The merchant has payments and cannot be deleted; suspend it instead.");
        }
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Suspend a merchant: its API calls get 403 merchant_suspended",
            description = "Role: operator. Nothing else changes: its payments keep processing and its webhooks "
                    + "keep going. Suspending a suspended merchant changes nothing.")
    @PostMapping(path = "/merchants/{merchantId}/suspend", produces = APPLICATION_JSON_VALUE)
    MerchantDetail suspend(@PathVariable String merchantId) {
        return setSuspended(id(merchantId), true);
    }

    @Operation(summary = "Resume a suspended merchant: its API keys work again",
            description = "Role: operator. Resuming an active merchant changes nothing.")
    @PostMapping(path = "/merchants/{merchantId}/resume", produces = APPLICATION_JSON_VALUE)
    MerchantDetail resume(@PathVariable String merchantId) {
        return setSuspended(id(merchantId), false);
    }

    private MerchantDetail setSuspended(UUID id, boolean suspended) {
        tx.executeWithoutResult(status -> {
            Merchants.Listed before = merchants.lockForChange(id).orElseThrow(MerchantAdminController::notFound);
            if (merchants.setSuspended(id, suspended)) {
                audit.record(suspended ? "merchant.suspend" : "merchant.resume", "merchant", id, snapshot(before),
                        snapshot(merchants.find(id).orElseThrow()));
            } else {
                audit.nothingChanged();
            }
        });
        return detail(id);
    }

    /**
     * The prototype's single {@code webhook_url} is the merchant's first endpoint: a new address moves that
     * endpoint, or makes one when the merchant has none left (its secret is then shown by rotating it).
     */
    private void moveFirstEndpoint(UUID merchantId, String url) {
        List<WebhookEndpoints.Endpoint> endpoints = webhookEndpoints.list(merchantId);
        if (endpoints.isEmpty()) {
            webhookEndpoints.create(merchantId, url, List.of());
        } else {
            webhookEndpoints.update(merchantId, endpoints.getFirst().endpointId(), url, null, null);
        }
    }

    /** What the audit log keeps of a merchant: no secret, not even a prefix. */
    record MerchantSnapshot(String id, String name, String webhookUrl, String status) {}

    /** The state after a change, and which fields the operator changed (by name: values of secrets are not kept). */
    record Changed(MerchantSnapshot merchant, List<String> fields) {}

    private static MerchantSnapshot snapshot(Merchants.Listed m) {
        return new MerchantSnapshot(m.merchantId().toString(), m.name(), m.webhookUrl(), m.status());
    }

    private MerchantDetail detail(UUID id) {
        Merchants.Listed m = merchants.find(id).orElseThrow(MerchantAdminController::notFound);
        Instant now = clock.instant();
        return new MerchantDetail(m.merchantId().toString(), m.name(), m.webhookUrl(), m.apiSecretPrefix(),
                m.apiKeyPrefix() == null ? "" : m.apiKeyPrefix(), m.status(), m.createdAt().getEpochSecond(),
                m.updatedAt().getEpochSecond(), seconds(m.suspendedAt()),
                merchants.apiKeys(id).stream().map(k -> KeyView.of(k, now)).toList(),
                webhookEndpoints.list(id).stream().map(EndpointView::of).toList());
    }

    /** The merchant named by the path; 404 {@code merchant_not_found} when there is none. */
    static UUID id(String merchantId, Merchants merchants) {
        UUID id;
        try {
            id = UUID.fromString(merchantId.trim());
        } catch (IllegalArgumentException e) {
            throw notFound();
        }
        if (!merchants.exists(id)) {
            throw notFound();
        }
        return id;
    }

    private UUID id(String merchantId) {
        return id(merchantId, merchants);
    }

    static ApiProblem notFound() {
        return ApiProblem.notFound("merchant_not_found", "No such merchant.");
    }

    static @Nullable Long seconds(@Nullable Instant at) {
        return at == null ? null : at.getEpochSecond();
    }

    private static @Nullable String nameOf(JsonNode node, List<FieldProblem> errors) {
        if (!node.isString()) {
            errors.add(new FieldProblem("name", "invalid_type", "Must be a string."));
            return null;
        }
        String value = node.asString().trim();
        if (value.isEmpty()) {
            return "";
        }
        return text(node, "name", 255, errors);
    }

    private static @Nullable String text(JsonNode value, String field, int maxLength, List<FieldProblem> errors) {
        String text = JsonFields.string(value, field, false, maxLength, errors);
        return text == null ? null : text.trim();
    }

    private static String text(JsonNode body, String field, boolean required, int maxLength, List<FieldProblem> errors) {
        String value = JsonFields.string(body.get(field), field, required, maxLength, errors);
        return value == null ? null : value.trim();
    }

    /**
     * 422 naming every problem found so far ({@code errors}), a webhook URL that is not an absolute http(s) URL and
     * an API key not in the {@code sk_live_} format among them; when every field is well formed, 422
     * {@code url_not_allowed} when the URL's address is one webhooks may not be sent to. Null values are not checked.
     */
    private void refuseIfInvalid(@Nullable String webhookUrl, @Nullable String apiKey, List<FieldProblem> errors) {
        if (webhookUrl != null && !isHttpUrl(webhookUrl)) {
            errors.add(new FieldProblem("webhook_url", "invalid_url", "Must be an absolute http or https URL."));
        }
        if (apiKey != null && !ApiKeys.FORMAT.matcher(apiKey).matches()) {
            errors.add(new FieldProblem("api_key", "invalid_format", "Must look like sk_live_ followed by 32 hex digits."));
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        if (webhookUrl != null) {
            webhookEndpoints.refusal(webhookUrl).ifPresent(reason -> {
                throw ApiProblem.validation(List.of(new FieldProblem("webhook_url", "url_not_allowed", reason)));
            });
        }
    }

    private static boolean isHttpUrl(String value) {
        try {
            URI uri = URI.create(value);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
