package dev.payrail.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.payrail.support.ApiTestBase;
import dev.payrail.support.IntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The console's API types are generated from console/openapi.json (openapi-typescript, then tsc, in the build).
 * That snapshot must be what the server describes now: a route or field changed on the server without refreshing
 * the snapshot fails here, and the console's code that no longer fits the fresh types fails tsc after the refresh.
 * {@code servers} is left out (it depends on how the description is reached), and so are the test-only
 * {@code /test-support/} routes.
 */
@IntegrationTest
class OpenApiSnapshotIT extends ApiTestBase {

    static final Path CONSOLE = Path.of(System.getProperty("payrail.test.console", "../console"));
    static final Path FRESH = Path.of("target/openapi.json");

    private final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @Test
    void committedSnapshotIsWhatTheServerDescribes() throws IOException {
        var answer = http.get("/v3/api-docs", Map.of("Accept", "application/json"));
        assertThat(answer.statusCode()).isEqualTo(200);
        ObjectNode served = (ObjectNode) json.readTree(answer.body());
        served.remove("servers");
        // Controllers that exist only in the tests (fault injection) are not part of the product's API.
        if (served.get("paths") instanceof ObjectNode paths) {
            paths.propertyNames().stream().filter(path -> path.startsWith("/test-support/")).toList()
                    .forEach(paths::remove);
        }

        Path snapshot = CONSOLE.resolve("openapi.json");
        JsonNode committed = Files.exists(snapshot) ? json.readTree(Files.readString(snapshot)) : null;
        if (!served.equals(committed)) {
            Files.writeString(FRESH, json.writeValueAsString(served) + "\n");
            fail("console/openapi.json differs from the server's /v3/api-docs (or is missing). The server's is in "
                    + FRESH.toAbsolutePath() + "; refresh the snapshot with\n    cp " + FRESH.toAbsolutePath() + " "
                    + snapshot.toAbsolutePath().normalize() + "\nthen rebuild: the console's types are generated from it "
                    + "and tsc shows what no longer fits.");
        }
    }
}
