package dev.payrail.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.payrail.support.ApiTestBase;
import dev.payrail.support.IntegrationTest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;

/** The console is served from the jar at /console, as a single-page app, and the prototype's UI paths lead there. */
@IntegrationTest
class ConsoleServingIT extends ApiTestBase {

    static final Map<String, String> BROWSER = Map.of("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");

    @BeforeEach
    void consoleIsBuilt() {
        assumeTrue(new ClassPathResource("static/console/index.html").exists(), "console not built (-Dconsole.skip)");
    }

    @Test
    void consoleIndexIsServedAndRevalidated() {
        for (String path : new String[] {"/console", "/console/", "/console/index.html"}) {
            HttpResponse<String> page = http.get(path, BROWSER);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/html"));
            assertThat(page.body()).as(path).contains("<div id=\"root\"></div>").contains("/console/assets/");
            assertThat(page.headers().firstValue("Cache-Control")).as(path).contains("no-cache");
        }
    }

    @Test
    void deepLinksGetTheAppSoTheRouterShowsThePage() {
        for (String path : new String[] {"/console/payments", "/console/payments/0196a3c2-0000-7000-8000-000000000001",
                "/console/merchants?x=1", "/console/login?next=%2Fpayments"}) {
            HttpResponse<String> page = http.get(path, BROWSER);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.body()).as(path).contains("<div id=\"root\"></div>");
        }
    }

    @Test
    void hashedAssetsAreCachedForLongAndAMissingFileIsA404NotTheApp() {
        String index = http.get("/console/", BROWSER).body();
        Matcher script = Pattern.compile("/console/assets/[A-Za-z0-9_.-]+\\.js").matcher(index);
        assertThat(script.find()).as("index.html names its script").isTrue();
        HttpResponse<String> js = http.get(script.group(), Map.of("Accept", "*/*"));
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).contains("javascript"));
        assertThat(js.headers().firstValue("Cache-Control")).hasValueSatisfying(
                cache -> assertThat(cache).contains("max-age=31536000").contains("immutable"));

        for (String missing : new String[] {"/console/assets/gone-1234.js", "/console/favicon.png"}) {
            HttpResponse<String> answer = http.get(missing, Map.of("Accept", "*/*"));
            assertThat(answer.statusCode()).as(missing).isEqualTo(404);
            assertThat(answer.body()).as(missing).doesNotContain("<div id=\"root\">");
        }
    }

    @Test
    void thePrototypesOperatorUiPathsRedirectToTheConsole() {
        for (String path : new String[] {"/admin", "/admin/", "/dashboard", "/dashboard/"}) {
            HttpResponse<String> answer = http.get(path, BROWSER);
            assertThat(answer.statusCode()).as(path).isBetween(301, 308);
            assertThat(answer.headers().firstValue("Location")).as(path).hasValueSatisfying(
                    location -> assertThat(location).endsWith("/console"));
        }
    }

    @Test
    void aPathOutsideTheConsoleIsStillTheApisProblem404() {
        HttpResponse<String> answer = http.get("/consoles", Map.of("Accept", "application/json"));
        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(answer.body()).contains("\"code\":\"not_found\"");
    }
}
