package dev.payrail.admin;

import dev.payrail.merchant.ApiKeys;
import dev.payrail.merchant.Merchant;
import dev.payrail.merchant.Merchants;
import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.ApiProblem.FieldProblem;
import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.Ids;
import dev.payrail.platform.Role;
import dev.payrail.platform.JsonFields;
import dev.payrail.platform.OpenApiConfig;
import dev.payrail.webhook.WebhookEndpoints;
import org.springframework.transaction.support.TransactionTemplate;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code POST /admin-api/merchants} as in the prototype's contract; the rest of the admin API comes later. */
@RestController
@ConditionalOnRole(Role.ADMIN)
@Tag(name = "Admin: merchants", description = "Operator API, Authorization: Bearer <PAYRAIL_ADMIN_TOKEN>")
class MerchantAdminController {

    private final Merchants merchants;
    private final WebhookEndpoints webhookEndpoints;
    private final TransactionTemplate tx;

    MerchantAdminController(Merchants merchants, WebhookEndpoints webhookEndpoints, TransactionTemplate tx) {
        this.merchants = merchants;
        this.webhookEndpoints = webhookEndpoints;
        this.tx = tx;
    }

    /**
     * A merchant in the list, in the prototype's shape ({@code id, webhook_url, api_secret, api_key}) but with
     * the secrets masked: the full API key and secret are shown only at creation (README, compatibility notes).
     */
    record ListedMerchant(String id, String name, String webhookUrl, String apiSecret, String apiKey, long createdAt) {}

    @Operation(summary = "Merchants, oldest first; API key and api_secret shown as a prefix only",
            security = @SecurityRequirement(name = OpenApiConfig.ADMIN_TOKEN))
    @GetMapping(path = {"/admin-api/merchants", "/api/admin-api/merchants"}, produces = MediaType.APPLICATION_JSON_VALUE)
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
            security = @SecurityRequirement(name = OpenApiConfig.ADMIN_TOKEN),
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = "application/json",
                            schema = @Schema(implementation = CreateMerchantBody.class))))
    @PostMapping(path = {"/admin-api/merchants", "/api/admin-api/merchants"},
            consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<CreatedMerchant> create(@Parameter(hidden = true) @RequestBody JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "invalid_body", "The body must be a JSON object.");
        }
        List<FieldProblem> errors = new ArrayList<>();
        String webhookUrl = text(body, "webhook_url", true, 2048, errors);
        String apiSecret = text(body, "api_secret", true, 255, errors);
        String apiKey = text(body, "api_key", false, 64, errors);
        String name = text(body, "name", false, 255, errors);
        if (webhookUrl != null && !isHttpUrl(webhookUrl)) {
            errors.add(new FieldProblem("webhook_url", "invalid_url", "Must be an absolute http or https URL."));
        }
        if (apiKey != null && !ApiKeys.FORMAT.matcher(apiKey).matches()) {
            errors.add(new FieldProblem("api_key", "invalid_format", "Must look like sk_live_ followed by 32 hex digits."));
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        String key = apiKey != null ? apiKey : ApiKeys.generate();
        webhookEndpoints.refusal(webhookUrl).ifPresent(reason -> {
            throw ApiProblem.validation(List.of(new FieldProblem("webhook_url", "url_not_allowed", reason)));
        });
        record Made(Merchant merchant, WebhookEndpoints.WithSecret endpoint) {}
        Made made;
        try {
            // The merchant and its first webhook endpoint (the prototype's webhook_url) exist together or not at all.
            made = tx.execute(status -> {
                Merchant merchant = merchants.create(Ids.next(), name == null ? "" : name, webhookUrl, apiSecret, key);
                return new Made(merchant, webhookEndpoints.create(merchant.merchantId(), webhookUrl, List.of()));
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

    private static String text(JsonNode body, String field, boolean required, int maxLength, List<FieldProblem> errors) {
        String value = JsonFields.string(body.get(field), field, required, maxLength, errors);
        return value == null ? null : value.trim();
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
