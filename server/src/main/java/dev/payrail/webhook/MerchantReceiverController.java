package dev.payrail.webhook;

import static org.springframework.http.MediaType.APPLICATION_JSON_VALUE;

import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The merchant receiver simulator over HTTP (role {@code simulators}, no authentication):
 * {@code POST /simulators/merchant/webhook[/{receiver}]} receives, {@code GET} of the same path shows the log,
 * {@code POST …/{receiver}/faults} sets the fault switches and {@code POST …/{receiver}/reset} forgets everything.
 * The unnamed path is the receiver {@code default}, where the demo merchant's webhooks go in embedded mode.
 */
@RestController
@ConditionalOnRole(Role.SIMULATORS)
@RequestMapping(path = WebhookSetup.RECEIVER_PATH, produces = APPLICATION_JSON_VALUE)
@Tag(name = "Simulators", description = "Merchant webhook receiver (role simulators); no authentication")
@RequiredArgsConstructor
class MerchantReceiverController {

    private static final String DEFAULT = "default";
    private static final int LOG_LIMIT_DEFAULT = 100;

    private final MerchantReceiver receiver;

    @Operation(summary = "Receive a webhook (the demo merchant's endpoint)")
    @PostMapping
    ResponseEntity<Map<String, Object>> receiveDefault(@RequestBody(required = false) byte @Nullable [] body,
            @RequestHeader(name = "webhook-id", required = false) @Nullable String id,
            @RequestHeader(name = "webhook-timestamp", required = false) @Nullable String timestamp,
            @RequestHeader(name = "webhook-signature", required = false) @Nullable String signature,
            @RequestHeader(name = "X-Signature", required = false) @Nullable String legacy) {
        return receive(DEFAULT, body, id, timestamp, signature, legacy);
    }

    @Operation(summary = "Receive a webhook on a named receiver")
    @PostMapping("/{name}")
    ResponseEntity<Map<String, Object>> receive(@PathVariable String name,
            @RequestBody(required = false) byte @Nullable [] body,
            @RequestHeader(name = "webhook-id", required = false) @Nullable String id,
            @RequestHeader(name = "webhook-timestamp", required = false) @Nullable String timestamp,
            @RequestHeader(name = "webhook-signature", required = false) @Nullable String signature,
            @RequestHeader(name = "X-Signature", required = false) @Nullable String legacy) {
        int status = receiver.receive(valid(name), body == null ? new byte[0] : body, id, timestamp, signature, legacy);
        return ResponseEntity.status(status).body(Map.of("received", status == 200));
    }

    @Operation(summary = "The default receiver's log")
    @GetMapping
    MerchantReceiver.Log logDefault(@RequestParam(defaultValue = "" + LOG_LIMIT_DEFAULT) int limit) {
        return receiver.log(DEFAULT, limit(limit));
    }

    @Operation(summary = "A named receiver's log")
    @GetMapping("/{name}")
    MerchantReceiver.Log log(@PathVariable String name, @RequestParam(defaultValue = "" + LOG_LIMIT_DEFAULT) int limit) {
        return receiver.log(valid(name), limit(limit));
    }

    /** Fault switches; absent fields stay as they are. */
    record FaultsBody(@Nullable Integer failNext, @Nullable Integer failStatus, @Nullable Long slowMs,
                      @Nullable Long downSeconds) {}

    @Operation(summary = "Set a receiver's fault switches: fail_next, fail_status, slow_ms, down_seconds")
    @PostMapping(path = "/{name}/faults", consumes = APPLICATION_JSON_VALUE)
    MerchantReceiver.Faults faults(@PathVariable String name, @RequestBody FaultsBody body) {
        if ((body.failNext() != null && (body.failNext() < 0 || body.failNext() > 1_000_000))
                || (body.failStatus() != null && (body.failStatus() < 100 || body.failStatus() > 599))
                || (body.slowMs() != null && (body.slowMs() < 0 || body.slowMs() > 600_000))
                || (body.downSeconds() != null && (body.downSeconds() < 0 || body.downSeconds() > 86_400))) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "invalid_parameter", "fail_next 0-1000000, fail_status "
                    + "100-599, slow_ms 0-600000, down_seconds 0-86400.");
        }
        return receiver.setFaults(valid(name), body.failNext(), body.failStatus(), body.slowMs(), body.downSeconds());
    }

    @Operation(summary = "Forget a receiver's log, duplicates and faults")
    @PostMapping("/{name}/reset")
    ResponseEntity<Void> reset(@PathVariable String name) {
        receiver.reset(valid(name));
        return ResponseEntity.noContent().build();
    }

    private static String valid(String name) {
        if (!name.matches("[a-z0-9-]{1,64}")) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "invalid_receiver", "A receiver name is 1-64 of a-z 0-9 -.");
        }
        return name;
    }

    private static int limit(int limit) {
        if (limit < 1 || limit > MerchantReceiver.LOG_MAX) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "invalid_parameter",
                    "limit must be between 1 and " + MerchantReceiver.LOG_MAX + ".");
        }
        return limit;
    }
}
