package dev.payrail.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.payrail.support.ApiTestBase;
import dev.payrail.support.IntegrationTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;

/**
 * The console in a real browser: console/e2e/run.mjs drives Debian's Chromium ({@code /usr/bin/chromium}, never a
 * downloaded one) with the npm package playwright-core against this test's server. It logs in, creates a merchant
 * and reads its key, takes a payment with that key, finds and opens it, sees its attempt, refunds part of it,
 * creates a viewer who is offered no refund and gets 403 calling the route anyway, loads every page at 1280 and
 * 390 px with no console error, and logs out. Screenshots go to target/console-screenshots/. The script's output is printed.
 */
@IntegrationTest
class ConsoleBrowserIT extends ApiTestBase {

    static final Path CONSOLE = Path.of(System.getProperty("payrail.test.console", "../console"));
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("PAYRAIL_CHROMIUM", "/usr/bin/chromium"));
    static final Path SCREENSHOTS = Path.of("target/console-screenshots");

    @Test
    void theConsoleWorksInABrowser() throws IOException, InterruptedException {
        assumeTrue(new ClassPathResource("static/console/index.html").exists(), "console not built (-Dconsole.skip)");
        if (!Files.isExecutable(CHROMIUM)) {
            fail("The console's browser tests need Chromium at " + CHROMIUM
                    + ": install it (Debian: apt-get install chromium), or point PAYRAIL_CHROMIUM at one");
        }
        Path log = Files.createTempFile("console-e2e", ".log");
        Process process = new ProcessBuilder(List.of("node", CONSOLE.resolve("e2e/run.mjs").toString(),
                "--base", "http://127.0.0.1:" + port, "--out", SCREENSHOTS.toAbsolutePath().toString(),
                "--chromium", CHROMIUM.toString(),
                "--email", IntegrationTest.ADMIN_EMAIL, "--password", IntegrationTest.ADMIN_PASSWORD))
                .directory(CONSOLE.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean finished = process.waitFor(10, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println("---- console e2e (console/e2e/run.mjs) ----\n" + output + "---- end of console e2e ----");
        assertThat(finished).as("the browser run finished within 10 minutes").isTrue();
        assertThat(process.exitValue()).as("console/e2e/run.mjs exit code; its output:\n" + output).isZero();
        assertThat(output).contains("session API: yes", "all passed").doesNotContain("FAIL ", "SKIP ");
        assertThat(SCREENSHOTS.resolve("payment-refunded-1280.png")).exists();
    }
}
