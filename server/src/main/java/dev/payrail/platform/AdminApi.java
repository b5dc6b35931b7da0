package dev.payrail.platform;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A controller of the operators' API: a REST controller on nodes with the admin role, its routes under
 * {@code /admin-api} and, for the prototype's dashboard, {@code /api/admin-api} (so a route names only what follows,
 * e.g. {@code @GetMapping("/payments")}). Who may call which route is decided in one place (the admin module's
 * access rules), and the OpenAPI description names the admin security schemes for every {@code /admin-api} path
 * ({@link OpenApiConfig}), so neither is repeated on the controllers.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@RestController
@ConditionalOnRole(Role.ADMIN)
@RequestMapping({"/admin-api", "/api/admin-api"})
public @interface AdminApi {

    /** The description of an admin tag in the OpenAPI description. */
    String BEARER = "Operator API, Authorization: Bearer <PAYRAIL_ADMIN_TOKEN>";
}
