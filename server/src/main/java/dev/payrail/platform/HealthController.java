package dev.payrail.platform;

import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The prototype's {@code GET /health}: {@code {"status":"ok"}}, or 503 when the database does not answer. */
@RestController
@Tag(name = "Health")
class HealthController {

    private final JdbcTemplate jdbc;

    HealthController(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setQueryTimeout(2); // seconds: a hung database must not hang the probe
    }

    @GetMapping("/health")
    ResponseEntity<Map<String, String>> health() {
        try {
            jdbc.queryForObject("select 1", Integer.class);
            return ResponseEntity.ok(Map.of("status", "ok"));
        } catch (RuntimeException e) {
            return ResponseEntity.status(503).body(Map.of("status", "unavailable", "reason", "database unreachable"));
        }
    }
}
