package dev.payrail.payment;

import dev.payrail.platform.ApiProblem.FieldProblem;
import dev.payrail.platform.JsonFields;
import java.util.Collections;
import java.util.List;
import java.util.Currency;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Active ISO 4217 currencies: the JDK's table minus funds, metals, test codes and currencies that have been
 * withdrawn (the JDK keeps those so that old data can still be read).
 */
public final class Currencies {

    private static final Set<String> WITHDRAWN = Set.of(
            "ADP", "AFA", "ATS", "AYM", "AZM", "BEF", "BGL", "BYB", "BYR", "CSD", "CUC", "CYP", "DEM", "EEK", "ESP",
            "FIM", "FRF", "GHC", "GRD", "GWP", "HRK", "IEP", "ITL", "LTL", "LUF", "LVL", "MGF", "MRO", "MTL", "MZM",
            "NLG", "PTE", "ROL", "RUR", "SDD", "SIT", "SKK", "SLL", "SRG", "STD", "TMM", "TPE", "TRL", "VEB", "VEF",
            "YUM", "ZMK", "ZWD", "ZWL", "ZWN", "ZWR", "XFO", "XFU", "USN", "USS", "BOV", "CHE", "CHW", "CLF", "COU",
            "MXV", "UYI", "UYW", "XSU", "XUA");

    private static final Set<String> ACTIVE = Currency.getAvailableCurrencies().stream()
            .filter(c -> c.getDefaultFractionDigits() >= 0)
            .map(Currency::getCurrencyCode)
            .filter(code -> !WITHDRAWN.contains(code))
            .collect(Collectors.toUnmodifiableSet());

    private static final SortedMap<String, Integer> MINOR_UNITS = Collections.unmodifiableSortedMap(
            new TreeMap<>(ACTIVE.stream().collect(Collectors.toMap(code -> code,
                    code -> Currency.getInstance(code).getDefaultFractionDigits()))));

    private Currencies() {}

    /**
     * A currency field of a request body: an active code (any case), upper-cased; absent is "required" when
     * {@code required}, else null; an unknown code is refused with {@code unknownCode} (each API keeps its own).
     */
    public static @Nullable String field(@Nullable JsonNode node, String field, boolean required, String unknownCode,
                                         List<FieldProblem> errors) {
        String text = JsonFields.string(node, field, required, 3, errors);
        if (text == null) {
            return null;
        }
        Optional<String> code = active(text);
        if (code.isEmpty()) {
            errors.add(new FieldProblem(field, unknownCode, "Must be an active ISO 4217 currency code."));
        }
        return code.orElse(null);
    }

    /**
     * Every active currency with its minor units (JPY 0, EUR 2, BHD 3), the count of decimal places the API's integer
     * amounts carry. ISO 4217's, as the JDK has them; a browser's Intl data differs for some (HUF, COP, IDR, PKR, IQD:
     * 0 there), so the console takes this table instead.
     */
    public static SortedMap<String, Integer> minorUnits() {
        return MINOR_UNITS;
    }

    /** The upper-case code when {@code code} names an active currency, in any letter case. */
    public static Optional<String> active(String code) {
        String upper = code.trim().toUpperCase(Locale.ROOT);
        return ACTIVE.contains(upper) ? Optional.of(upper) : Optional.empty();
    }
}
