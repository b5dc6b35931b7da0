package dev.payrail.account;

import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Creates the first admin account at the first start, when no account exists: from
 * {@code PAYRAIL_ADMIN_EMAIL}/{@code PAYRAIL_ADMIN_PASSWORD}, or in embedded mode with a generated password kept
 * in the data directory. The credentials are printed once, when the account is created; later starts find an
 * account and say nothing.
 */
@Component
@ConditionalOnRole(Role.ADMIN)
class FirstAdminAccount implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(FirstAdminAccount.class);
    private final OperatorAccounts accounts;
    private final PayrailProperties.Admin settings;

    FirstAdminAccount(OperatorAccounts accounts, PayrailProperties properties) {
        this.accounts = accounts;
        this.settings = properties.admin();
    }

    @Override
    public void run(ApplicationArguments args) {
        if (settings.email().isBlank()) {
            if (accounts.count() == 0) {
                log.warn("no operator account exists: set PAYRAIL_ADMIN_EMAIL and PAYRAIL_ADMIN_PASSWORD to create "
                        + "the first admin account{}", settings.token().isEmpty() ? ""
                        : " (until then only PAYRAIL_ADMIN_TOKEN opens the admin API)");
            }
            return;
        }
        accounts.createFirst(settings.email(), settings.password()).ifPresent(created -> {
            if (settings.passwordFile().isEmpty()) {
                log.info("first admin account {} created from PAYRAIL_ADMIN_EMAIL and PAYRAIL_ADMIN_PASSWORD",
                        created.email());
            } else {
                log.info("first admin account created: log in at /console as {} with password {} (kept in {}; "
                        + "change it after logging in)", created.email(), settings.password(), settings.passwordFile());
            }
        });
    }
}
