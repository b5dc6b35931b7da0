package dev.payrail.admin;

import dev.payrail.platform.Actor;
import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.CurrentActor;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** Wires the admin API's authentication; present only on nodes with the {@code admin} role. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.ADMIN)
class AdminWebConfig {

    @Bean
    FilterRegistrationBean<AdminTokenFilter> adminTokenFilter(PayrailProperties properties, JsonMapper json) {
        var registration = new FilterRegistrationBean<>(new AdminTokenFilter(properties.admin().token(), json));
        // The prototype's dashboard called the same API under /api/admin-api (its web server stripped /api).
        registration.addUrlPatterns("/admin-api/*", "/api/admin-api/*");
        registration.setOrder(10);
        return registration;
    }

    /** The actor of the request being served, as the authentication filter recorded it. */
    @Bean
    CurrentActor currentActor() {
        return () -> RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                && attributes.getRequest().getAttribute(AdminTokenFilter.ACTOR_ATTRIBUTE) instanceof Actor actor
                ? actor : Actor.SYSTEM;
    }
}
