package dev.payrail.payment;

import static dev.payrail.platform.JsonFields.integer;
import static dev.payrail.platform.JsonFields.string;

import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.ApiProblem.FieldProblem;
import dev.payrail.platform.JsonFields;
import dev.payrail.platform.Sensitive;
import java.time.Clock;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import lombok.RequiredArgsConstructor;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Checks a payment request field by field and collects every problem, so a client fixes its body in one round.
 * Messages never echo submitted values: a misplaced card number must not come back in an error or a log.
 */
@Component
@RequiredArgsConstructor
public class PaymentRequestParser {

    public static final long AMOUNT_MAX = 1_000_000_000_000L;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");
    private static final Pattern IPV4 = Pattern.compile(
            "^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");
    private static final Pattern IPV6_CHARS = Pattern.compile("^[0-9A-Fa-f:.]{2,45}$");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private final Clock clock;

    public PaymentRequest parse(JsonNode body) {
        JsonFields.object(body);
        List<FieldProblem> errors = new ArrayList<>();
        Long amount = amount(body.get("amount"), errors);
        String currency = Currencies.field(body.get("currency"), "currency", true, "unknown_currency", errors);
        String orderId = string(body.get("order_id"), "order_id", true, 255, errors);
        String description = string(body.get("description"), "description", false, 1000, errors);
        PaymentRequest.Customer customer = customer(body.get("customer"), errors);
        PaymentRequest.Card card = card(body.get("payment_method"), errors);
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        return new PaymentRequest(amount, currency, orderId, description, customer, card);
    }

    /** An amount in minor units: required, a whole number, 1 to {@link #AMOUNT_MAX}; else null and its problem. */
    public static Long amount(JsonNode node, List<FieldProblem> errors) {
        if (node == null || node.isNull()) {
            errors.add(new FieldProblem("amount", "required", "The amount in minor units is required."));
            return null;
        }
        if (!node.isIntegralNumber()) {
            errors.add(new FieldProblem("amount", "invalid_type", "Must be an integer count of minor units."));
            return null;
        }
        if (!node.canConvertToLong() || node.longValue() < 1 || node.longValue() > AMOUNT_MAX) {
            errors.add(new FieldProblem("amount", "out_of_range", "Must be between 1 and " + AMOUNT_MAX + "."));
            return null;
        }
        return node.longValue();
    }

    private static PaymentRequest.Customer customer(JsonNode node, List<FieldProblem> errors) {
        if (!JsonFields.optionalObject(node, "customer", errors)) {
            return null;
        }
        int before = errors.size();
        String email = string(node.get("email"), "customer.email", false, 254, errors);
        if (email != null && !EMAIL.matcher(email).matches()) {
            errors.add(new FieldProblem("customer.email", "invalid_format", "Must be an e-mail address."));
        }
        String ip = string(node.get("ip"), "customer.ip", false, 45, errors);
        if (ip != null && !isIpAddress(ip)) {
            errors.add(new FieldProblem("customer.ip", "invalid_format", "Must be an IPv4 or IPv6 address."));
        }
        String country = string(node.get("country"), "customer.country", false, 2, errors);
        if (country != null) {
            country = country.toUpperCase(Locale.ROOT);
            if (!COUNTRIES.contains(country)) {
                errors.add(new FieldProblem("customer.country", "invalid_format",
                        "Must be an ISO 3166-1 alpha-2 country code."));
            }
        }
        return errors.size() > before ? null : new PaymentRequest.Customer(email, ip, country);
    }

    private PaymentRequest.Card card(JsonNode node, List<FieldProblem> errors) {
        if (!JsonFields.optionalObject(node, "payment_method", errors)) {
            return null;
        }
        int before = errors.size();
        String type = string(node.get("type"), "payment_method.type", true, 32, errors);
        if (type != null && !type.equals("card")) {
            errors.add(new FieldProblem("payment_method.type", "unsupported", "Only \"card\" is supported."));
        }
        String number = string(node.get("number"), "payment_method.number", true, 23, errors);
        if (number != null) {
            number = number.replace(" ", "");
            if (!number.matches("\\d{12,19}") || !luhnValid(number)) {
                errors.add(new FieldProblem("payment_method.number", "invalid_card_number",
                        "Must be a 12 to 19 digit card number with a valid check digit."));
            }
        }
        Integer month = integer(node.get("exp_month"), "payment_method.exp_month", 1, 12, errors);
        Integer year = integer(node.get("exp_year"), "payment_method.exp_year", 2000, 2100, errors);
        if (month != null && year != null && YearMonth.of(year, month).isBefore(YearMonth.now(clock))) {
            errors.add(new FieldProblem("payment_method.exp_year", "card_expired", "The card has expired."));
        }
        String cvc = string(node.get("cvc"), "payment_method.cvc", true, 4, errors);
        if (cvc != null && !cvc.matches("\\d{3,4}")) {
            errors.add(new FieldProblem("payment_method.cvc", "invalid_format", "Must be 3 or 4 digits."));
        }
        if (errors.size() > before) {
            return null;
        }
        return new PaymentRequest.Card(new Sensitive(number), month, year, new Sensitive(cvc));
    }

    static boolean luhnValid(String digits) {
        int sum = 0;
        boolean doubleIt = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (doubleIt) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }

    static boolean isIpAddress(String value) {
        if (IPV4.matcher(value).matches()) {
            return true;
        }
        if (!value.contains(":") || !IPV6_CHARS.matcher(value).matches()) {
            return false;
        }
        try {
            // Only an IPv6 literal reaches here (hex digits, colons, dots), which the JDK parses without DNS.
            java.net.InetAddress.getByName(value);
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
