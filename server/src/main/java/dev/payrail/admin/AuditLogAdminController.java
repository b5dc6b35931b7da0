package dev.payrail.admin;

import static org.springframework.http.MediaType.APPLICATION_JSON_VALUE;

import dev.payrail.audit.AuditEntry;
import dev.payrail.audit.AuditLog;
import dev.payrail.platform.AdminApi;
import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.ApiProblem.FieldProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The audit log, newest first, filterable, with keyset paging ({@code before} = the last {@code audit_id} seen). */
@AdminApi
@Tag(name = "Admin: audit log", description = "Every change made through the admin side; read-only")
@RequiredArgsConstructor
class AuditLogAdminController {

    private final AuditLog audit;

    record Page(List<AuditEntry> data, boolean hasMore, @Nullable Long nextBefore) {}

    @Operation(summary = "Audit log entries, newest first", description = "Role: viewer. Filters: actor, action, "
            + "target_type, target_id, from/to (ISO-8601). Paging: limit (1-500, default 100) and before (the "
            + "next_before of the previous page).")
    @GetMapping(path = "/audit-log", produces = APPLICATION_JSON_VALUE)
    Page list(@RequestParam(required = false) @Nullable String actor,
              @RequestParam(required = false) @Nullable String action,
              @RequestParam(name = "target_type", required = false) @Nullable String targetType,
              @RequestParam(name = "target_id", required = false) @Nullable String targetId,
              @RequestParam(required = false) @Nullable String from,
              @RequestParam(required = false) @Nullable String to,
              @RequestParam(required = false) @Nullable Long before,
              @RequestParam(defaultValue = "100") int limit) {
        List<FieldProblem> errors = new ArrayList<>();
        Instant fromTime = instant("from", from, errors);
        Instant toTime = instant("to", to, errors);
        if (limit < 1 || limit > 500) {
            errors.add(new FieldProblem("limit", "out_of_range", "Must be between 1 and 500."));
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        List<AuditEntry> rows = audit.list(new AuditLog.Query(blankToNull(actor), blankToNull(action),
                blankToNull(targetType), blankToNull(targetId), fromTime, toTime, before, limit + 1));
        boolean more = rows.size() > limit;
        List<AuditEntry> page = more ? rows.subList(0, limit) : rows;
        return new Page(page, more, more ? page.getLast().auditId() : null);
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static @Nullable Instant instant(String field, @Nullable String value, List<FieldProblem> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            errors.add(new FieldProblem(field, "invalid_format", "Must be an ISO-8601 instant such as 2026-01-31T00:00:00Z."));
            return null;
        }
    }
}
