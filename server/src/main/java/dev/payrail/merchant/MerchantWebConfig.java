package dev.payrail.merchant;

import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.Role;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** Puts API-key authentication in front of the merchant API: {@code /v1/**} and the legacy {@code /payments}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.API)
class MerchantWebConfig {

    @Bean
    FilterRegistrationBean<ApiKeyAuthenticationFilter> apiKeyFilter(Merchants merchants, ApiKeyUsage usage,
                                                                    JsonMapper json) {
        var registration = new FilterRegistrationBean<>(new ApiKeyAuthenticationFilter(merchants, usage, json));
        registration.addUrlPatterns("/v1/*", "/payments", "/payments/*");
        registration.setOrder(10);
        return registration;
    }
}
