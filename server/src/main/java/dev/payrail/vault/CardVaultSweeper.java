package dev.payrail.vault;

import dev.payrail.platform.ConditionalOnRole;
import dev.payrail.platform.PayrailProperties;
import dev.payrail.platform.Role;
import dev.payrail.platform.Worker;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/**
 * Erases card numbers whose payment has been final for longer than {@code PAYRAIL_VAULT_PAN_RETENTION}
 * (default 0: at the next sweep, every {@code PAYRAIL_VAULT_SWEEP}, default one minute). Runs on the processing
 * role, which is the one that finalises payments; rows are claimed with {@code SKIP LOCKED}, so several nodes
 * may sweep at once.
 */
@Component
@ConditionalOnRole(Role.PROCESSING)
class CardVaultSweeper {

    private static final Logger log = LoggerFactory.getLogger(CardVaultSweeper.class);
    private static final int CHUNK_ROWS = 1_000;

    private final CardVault vault;
    private final Clock clock;
    private final Duration panRetention;

    CardVaultSweeper(CardVault vault, Clock clock, PayrailProperties properties) {
        this.vault = vault;
        this.clock = clock;
        this.panRetention = properties.vault().panRetention();
    }

    @Bean
    Worker cardVaultSweepWorker(PayrailProperties properties, MeterRegistry meters) {
        return Worker.every(properties.vault().sweep(), "card-vault-sweep", meters, this::sweep);
    }

    int sweep() {
        int erased = vault.erasePans(clock.instant().minus(panRetention), CHUNK_ROWS);
        if (erased > 0) {
            log.info("erased the card numbers of {} settled payments", erased);
        }
        return erased;
    }
}
