package dev.payrail.audit;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** One line of the audit log, as stored (secrets already redacted). */
public record AuditEntry(long auditId, Instant occurredAt, String actor, String actorRole, @Nullable String sourceIp,
                         String action, String targetType, @Nullable String targetId,
                         @Nullable JsonNode before, @Nullable JsonNode after) {}
