package dev.payrail.admin;

import static org.springframework.http.MediaType.APPLICATION_JSON_VALUE;

import dev.payrail.payment.Currencies;
import dev.payrail.platform.AdminApi;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code /admin-api/currencies}: how to read the API's amounts, for the console and any operator tool. */
@AdminApi
@Tag(name = "Admin: payments", description = AdminApi.BEARER)
class CurrencyAdminController {

    /** Each active ISO 4217 code with its minor units: an amount of 12345 is 123.45 EUR, 12345 JPY, 12.345 BHD. */
    record CurrencyList(Map<String, Integer> minorUnits) {}

    @Operation(summary = "Active currencies and their minor units (the decimal places of the API's integer amounts)",
            description = "Role: viewer. ISO 4217 as the server counts it (JPY 0, EUR 2, BHD 3; HUF, COP, IDR, PKR 2 "
                    + "and IQD 3, where a browser's own data may say 0).")
    @GetMapping(path = "/currencies", produces = APPLICATION_JSON_VALUE)
    CurrencyList currencies() {
        return new CurrencyList(Currencies.minorUnits());
    }
}
