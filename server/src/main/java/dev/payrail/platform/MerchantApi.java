package dev.payrail.platform;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.web.bind.annotation.RestController;

/**
 * A controller of the merchant API ({@code /v1} and the prototype's {@code /payments}): a REST controller on nodes
 * with the api role. The API key is checked by a filter before any of them, and the OpenAPI description names the
 * key's scheme for every merchant path ({@link OpenApiConfig}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@RestController
@ConditionalOnRole(Role.API)
public @interface MerchantApi {

    /** The description of a merchant tag in the OpenAPI description. */
    String API_KEY = "Merchant API, authenticated by X-API-Key";
}
