package dev.payrail.platform;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description served at {@code /v3/api-docs} (browse it at {@code /swagger-ui.html}), by springdoc.
 * Controllers name their security scheme with {@link #API_KEY} or {@link #ADMIN_TOKEN}.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfig {

    /** The merchant API's scheme: the {@code X-API-Key} header. */
    public static final String API_KEY = "apiKey";
    /** The admin API's scheme: {@code Authorization: Bearer <PAYRAIL_ADMIN_TOKEN>}. */
    public static final String ADMIN_TOKEN = "adminToken";

    /**
     * The wire uses snake_case (spring.jackson.property-naming-strategy); swagger-core resolves schemas with its
     * own Jackson 2 mapper, so it is told the same strategy here.
     */
    @Bean
    ModelResolver snakeCaseModelResolver() {
        return new ModelResolver(Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
    }

    @Bean
    OpenAPI payrailOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Payrail merchant API").version("v1")
                        .description("Payments for merchants. Errors are application/problem+json (RFC 9457) "
                                + "with a stable `code`. Times are epoch seconds; money is integer minor units."))
                .components(new Components().addSecuritySchemes(API_KEY,
                        new SecurityScheme().type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER)
                                .name("X-API-Key"))
                        .addSecuritySchemes(ADMIN_TOKEN,
                                new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")));
    }
}
