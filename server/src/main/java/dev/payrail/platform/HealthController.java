package dev.payrail.platform;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import lombok.RequiredArgsConstructor;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The prototype's {@code GET /health}: {@code {"status":"ok"}}, or 503 when the database does not answer. */
@RestController
@Tag(name = "Health")
@RequiredArgsConstructor
class HealthController {

    private final DatabaseProbe database;

    @Operation(summary = "{\"status\":\"ok\"}, or 503 when the database does not answer (the prototype's check)")
    @GetMapping("/health")
    ResponseEntity<Map<String, String>> health() {
        if (database.problem() == null) {
            return ResponseEntity.ok(Map.of("status", "ok"));
        }
        return ResponseEntity.status(503).body(Map.of("status", "unavailable", "reason", "database unreachable"));
    }
}
