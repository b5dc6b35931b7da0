package dev.payrail.acquirer;

import dev.payrail.vault.VaultedCard;
import dev.payrail.acquirer.AcquirerOutcome.Approved;
import dev.payrail.acquirer.AcquirerOutcome.DeclineKind;
import dev.payrail.acquirer.AcquirerOutcome.Declined;
import dev.payrail.acquirer.AcquirerOutcome.Pending;
import dev.payrail.acquirer.AcquirerOutcome.Unknown;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The wire format the three acquirer simulators share (documented in the README, "Acquirer simulators"). Each
 * acquirer's mapper extends it; a real acquirer with its own format would implement {@link AcquirerMapper}
 * directly instead.
 *
 * <p>How answers map (every HTTP status has a rule, so nothing falls through):
 * <ul>
 *   <li>2xx {@code approved} → Approved; {@code declined} → Declined(code, decline_type; hard when the acquirer
 *       does not say); {@code pending} → Pending; {@code voided} → Declined("voided", HARD); anything else →
 *       Unknown (something happened that we cannot read).
 *   <li>404 {@code not_found} → Declined("not_found", SOFT): the reference was never received. Any other 404 means
 *       the route is not there (a wrong URL): nothing was processed → acquirer_unavailable.
 *   <li>503 {@code unavailable} → acquirer_unavailable: the simulators promise that this answer processed
 *       nothing (like ISO 8583's "91, issuer or switch inoperative").
 *   <li>other 4xx → Declined("invalid_request", HARD): the acquirer refused the request itself.
 *   <li>other 5xx → Unknown: the acquirer may have done something before failing; inquire.
 * </ul>
 */
abstract class SimulatorProtocolMapper implements AcquirerMapper {

    static final String INVALID_REQUEST = "invalid_request";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public AcquirerRequest authorize(Authorization request) {
        ObjectNode body = JSON.createObjectNode()
                .put("reference", request.reference())
                .put("amount", request.amount())
                .put("currency", request.currency());
        VaultedCard vaulted = request.card();
        if (vaulted != null) { // a payment made without a card is sent without one
            ObjectNode card = body.putObject("card")
                    .put("number", vaulted.number().value())
                    .put("exp_month", request.expMonth())
                    .put("exp_year", request.expYear());
            if (vaulted.cvc() != null) {
                card.put("cvc", vaulted.cvc().value());
            }
        }
        return AcquirerRequest.post(AcquirerRequest.AUTHORIZE, "/authorizations", JSON.writeValueAsString(body));
    }

    @Override
    public AcquirerRequest refund(RefundRequest request) {
        ObjectNode body = JSON.createObjectNode()
                .put("reference", request.reference())
                .put("authorization_reference", request.authorizationReference())
                .put("amount", request.amount())
                .put("currency", request.currency());
        if (request.simulatedOutcome() != null) { // the simulators' steering field; see RefundRequest
            body.put("simulated_outcome", request.simulatedOutcome().wireName());
        }
        return AcquirerRequest.post(AcquirerRequest.REFUND, "/refunds", JSON.writeValueAsString(body));
    }

    @Override
    public AcquirerRequest voidAuthorization(String reference) {
        return AcquirerRequest.post(AcquirerRequest.VOID, "/authorizations/" + segment(reference) + "/void", "{}");
    }

    @Override
    public AcquirerRequest inquire(String reference) {
        return AcquirerRequest.get(AcquirerRequest.INQUIRE, "/transactions/" + segment(reference));
    }

    @Override
    public AcquirerOutcome outcome(AcquirerAnswer answer) {
        String status = answer.text("status");
        if (answer.isSuccess()) {
            return switch (status == null ? "" : status) {
                case "approved" -> approved(answer);
                case "declined" -> new Declined(codeOr(answer, "declined"), kind(answer.text("decline_type")));
                case "pending" -> new Pending();
                case "voided" -> new Declined(Declined.VOIDED, DeclineKind.HARD);
                default -> new Unknown("HTTP " + answer.status() + " with an unreadable answer");
            };
        }
        if (answer.status() == 404) {
            return "not_found".equals(status) ? Declined.notFound() : Declined.unavailable();
        }
        if (answer.status() == 503 && "unavailable".equals(status)) {
            return Declined.unavailable();
        }
        if (answer.status() >= 400 && answer.status() < 500) {
            return new Declined(INVALID_REQUEST, DeclineKind.HARD);
        }
        return new Unknown("HTTP " + answer.status() + " " + codeOr(answer, "without a code"));
    }

    private static AcquirerOutcome approved(AcquirerAnswer answer) {
        String reference = answer.text("acquirer_reference");
        return reference == null ? new Unknown("approved without an acquirer reference") : new Approved(reference);
    }

    private static String codeOr(AcquirerAnswer answer, String fallback) {
        String code = answer.text("code");
        return code == null || code.isBlank() ? fallback : code;
    }

    private static DeclineKind kind(@Nullable String declineType) {
        // Only an explicit "soft" lets the caller cascade; when the acquirer does not say, we do not guess.
        return "soft".equals(declineType) ? DeclineKind.SOFT : DeclineKind.HARD;
    }

    private static String segment(String reference) {
        return URLEncoder.encode(reference, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
