package dev.payrail.admin;

import static org.springframework.http.MediaType.APPLICATION_JSON_VALUE;

import dev.payrail.account.OperatorAccount;
import dev.payrail.account.OperatorAccounts;
import dev.payrail.account.OperatorRole;
import dev.payrail.audit.AuditLog;
import dev.payrail.platform.AdminApi;
import dev.payrail.platform.ApiProblem;
import dev.payrail.platform.ApiProblem.FieldProblem;
import dev.payrail.platform.JsonBody;
import dev.payrail.platform.JsonFields;
import dev.payrail.platform.Role;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import tools.jackson.databind.JsonNode;

/** Operator accounts (role {@code admin} only): list, create, change role, disable or enable. */
@AdminApi
@Tag(name = "Admin: accounts", description = "Operator accounts and their roles; admin only")
@RequiredArgsConstructor
class AccountAdminController {

    private final OperatorAccounts accounts;
    private final AuditLog audit;
    private final TransactionTemplate tx;

    record AccountView(String accountId, String email,
                       @Schema(allowableValues = {"admin", "operator", "viewer"}) String role, boolean disabled,
                       Instant createdAt, @Nullable Instant lastLoginAt) {
        static AccountView of(OperatorAccount account) {
            return new AccountView(account.accountId().toString(), account.email(), account.role().wireName(),
                    account.disabled(), account.createdAt(), account.lastLoginAt());
        }
    }

    @Schema(name = "CreateAccount")
    record CreateBody(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String email,
                      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minLength = OperatorAccounts.PASSWORD_MIN) String password,
                      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"admin", "operator", "viewer"}) String role) {}

    @Schema(name = "UpdateAccount")
    record UpdateBody(@Schema(allowableValues = {"admin", "operator", "viewer"}) String role, Boolean disabled) {}

    @Operation(summary = "Operator accounts", description = "Role: admin.")
    @GetMapping(path = "/accounts", produces = APPLICATION_JSON_VALUE)
    List<AccountView> list() {
        return accounts.list().stream().map(AccountView::of).toList();
    }

    @Operation(summary = "Create an operator account", description = "Role: admin. 409 email_taken; 422 "
            + "invalid_email, weak_password (12 to 200 characters), invalid_role.")
    @JsonBody(CreateBody.class)
    @PostMapping(path = "/accounts", consumes = APPLICATION_JSON_VALUE, produces = APPLICATION_JSON_VALUE)
    ResponseEntity<AccountView> create(@Parameter(hidden = true) @RequestBody JsonNode body) {
        JsonFields.object(body);
        List<FieldProblem> errors = new ArrayList<>();
        String email = JsonFields.string(body.get("email"), "email", true, 254, errors);
        String password = JsonFields.string(body.get("password"), "password", true, OperatorAccounts.PASSWORD_MAX, errors);
        OperatorRole role = role(JsonFields.string(body.get("role"), "role", true, 20, errors), errors);
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        try {
            OperatorAccount created = tx.execute(s -> {
                OperatorAccount made = accounts.create(email, password, role);
                audit.record("account.create", "account", made.accountId(), null, AccountView.of(made));
                return made;
            });
            return ResponseEntity.created(URI.create("/admin-api/accounts/" + created.accountId()))
                    .body(AccountView.of(created));
        } catch (OperatorAccounts.AccountRefused refused) {
            throw refusal(refused);
        }
    }

    @Operation(summary = "Change an account's role, or disable / enable it", description = "Role: admin. An admin "
            + "cannot take away their own admin role or disable themselves (409 own_account), so at least one "
            + "admin always remains who can repair things.")
    @JsonBody(UpdateBody.class)
    @PatchMapping(path = "/accounts/{accountId}", consumes = APPLICATION_JSON_VALUE, produces = APPLICATION_JSON_VALUE)
    AccountView update(@PathVariable String accountId, @Parameter(hidden = true) @RequestBody JsonNode body) {
        OperatorAccount before = parse(accountId).flatMap(accounts::find)
                .orElseThrow(() -> ApiProblem.notFound("account_not_found", "No account with this id."));
        JsonFields.object(body);
        List<FieldProblem> errors = new ArrayList<>();
        String roleText = JsonFields.string(body.get("role"), "role", false, 20, errors);
        OperatorRole role = roleText == null ? null : role(roleText, errors);
        JsonNode disabledNode = body.get("disabled");
        Boolean disabled = null;
        if (disabledNode != null && !disabledNode.isNull()) {
            if (!disabledNode.isBoolean()) {
                errors.add(new FieldProblem("disabled", "invalid_type", "Must be true or false."));
            } else {
                disabled = disabledNode.booleanValue();
            }
        }
        if (errors.isEmpty() && role == null && disabled == null) {
            errors.add(new FieldProblem("role", "required", "Send role, disabled, or both."));
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        boolean self = before.email().equals(audit.actor().name());
        if (self && ((role != null && role != OperatorRole.ADMIN) || Boolean.TRUE.equals(disabled))) {
            throw new ApiProblem(HttpStatus.CONFLICT, "own_account",
                    "You cannot demote or disable your own account; ask another admin.");
        }
        OperatorRole newRole = role;
        Boolean newDisabled = disabled;
        return AccountView.of(tx.execute(s -> {
            OperatorAccount after = accounts.update(before.accountId(), newRole, newDisabled).orElseThrow();
            audit.record("account.update", "account", after.accountId(), AccountView.of(before), AccountView.of(after));
            return after;
        }));
    }


    private static @Nullable OperatorRole role(@Nullable String wire, List<FieldProblem> errors) {
        if (wire == null) {
            return null;
        }
        Optional<OperatorRole> role = OperatorRole.parse(wire);
        if (role.isEmpty()) {
            errors.add(new FieldProblem("role", "invalid_role", "Must be admin, operator or viewer."));
        }
        return role.orElse(null);
    }

    private static ApiProblem refusal(OperatorAccounts.AccountRefused refused) {
        if ("email_taken".equals(refused.code())) {
            return new ApiProblem(HttpStatus.CONFLICT, refused.code(), refused.getMessage());
        }
        return ApiProblem.validation(List.of(new FieldProblem(refused.field(), refused.code(), refused.getMessage())));
    }

    private static Optional<UUID> parse(String id) {
        try {
            return Optional.of(UUID.fromString(id.trim()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
