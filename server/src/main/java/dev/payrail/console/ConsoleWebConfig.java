package dev.payrail.console;

import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.Role;
import java.io.IOException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.PathResourceResolver;

/**
 * Serves the console at {@code /console}. It is a single-page app: a deep link such as
 * {@code /console/payments/<id>} gets {@code index.html} and the app's router shows the page. The hashed files
 * under {@code assets/} are cached for a year; {@code index.html} is revalidated every time, so a new build shows
 * at the next load. The prototype's two operator UIs lived at {@code /admin} and {@code /dashboard}: both redirect
 * here.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Role.ADMIN)
class ConsoleWebConfig implements WebMvcConfigurer {

    static final String LOCATION = "classpath:/static/console/";
    static final String INDEX = "static/console/index.html";

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/admin", "/console");
        registry.addRedirectViewController("/admin/", "/console");
        registry.addRedirectViewController("/dashboard", "/console");
        registry.addRedirectViewController("/dashboard/", "/console");
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/console/assets/**")
                .addResourceLocations(LOCATION + "assets/")
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable())
                .resourceChain(true)
                .addResolver(new PathResourceResolver());
        registry.addResourceHandler("/console", "/console/", "/console/**")
                .addResourceLocations(LOCATION)
                .setCacheControl(CacheControl.noCache())
                .resourceChain(true)
                .addResolver(new SinglePageResolver());
    }

    /**
     * A file of the build when there is one; otherwise, for a path that names no file (no dot in its last
     * segment), the app's {@code index.html}. A missing file ({@code favicon.png}, an old asset) stays a 404.
     */
    static final class SinglePageResolver extends PathResourceResolver {

        @Override
        protected @Nullable Resource getResource(String resourcePath, Resource location) throws IOException {
            if (!resourcePath.isEmpty()) {
                Resource file = super.getResource(resourcePath, location);
                if (file != null) {
                    return file;
                }
                String last = resourcePath.substring(resourcePath.lastIndexOf('/') + 1);
                if (last.contains(".")) {
                    return null;
                }
            }
            Resource index = new ClassPathResource(INDEX);
            return index.isReadable() ? index : null;
        }
    }
}
