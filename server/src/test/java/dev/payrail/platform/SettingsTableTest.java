package dev.payrail.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;

/** The settings table (payrail-settings.tsv) against the records that bind it and the README that documents it. */
class SettingsTableTest {

    @Test
    void everySettingBindsFromTheTableWhenNothingIsSet() {
        PayrailProperties settings = SettingsTable.bind(new StandardEnvironment());
        assertThat(settings.webhooks().schedule()).hasSize(10).startsWith(Duration.ZERO, Duration.ofSeconds(5));
        assertThat(settings.webhooks().allowedHosts()).isEmpty();
        assertThat(settings.webhooks().requireHttps()).isTrue();
        assertThat(settings.processing().route()).containsExactly("alpha", "beta", "gamma");
        assertThat(settings.management().port()).isNull();   // "-": no default
        assertThat(settings.master().key()).isEmpty();       // "''": the empty string
        assertThat(settings.acquirers().beta().circuitOpenDuration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(SettingsTable.variables()).hasSize(81).contains("PAYRAIL_PUBLIC_URL", "PAYRAIL_API_KEYS_ROTATION_GRACE");
    }

    /** A component without a row in the table would go unchecked and without a default: the start fails instead. */
    record Undocumented(int somethingNew) {}

    @Test
    void aSettingWithoutARowIsRefused() {
        assertThatThrownBy(() -> PayrailProperties.Limits.check(Undocumented.class, "PAYRAIL", 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("PAYRAIL_SOMETHING_NEW has no row in payrail-settings.tsv");
    }

    /**
     * The README's configuration table names every setting an operator may set (a row may name several, the later
     * ones as {@code …_SUFFIX}; the acquirers' as {@code PAYRAIL_ACQUIRERS_<NAME>_…}).
     */
    @Test
    void theReadmeNamesEverySetting() throws IOException {
        List<String> rows = Files.readAllLines(Path.of("..", "README.md")).stream()
                .filter(line -> line.startsWith("| `PAYRAIL_")).toList();
        List<String> undocumented = SettingsTable.variables().stream()
                .filter(variable -> !variable.equals("PAYRAIL_ADMIN_PASSWORD_FILE"))   // set by Payrail itself
                .map(variable -> variable.replaceFirst("^PAYRAIL_ACQUIRERS_(ALPHA|BETA|GAMMA)_",
                        "PAYRAIL_ACQUIRERS_<NAME>_"))
                .distinct()
                .filter(variable -> rows.stream().noneMatch(row -> names(row, variable)))
                .toList();
        assertThat(undocumented).isEmpty();
    }

    private static boolean names(String row, String variable) {
        if (row.contains("`" + variable + "`")) {
            return true;
        }
        String[] parts = variable.split("_");
        for (int head = 2; head < parts.length; head++) {
            String prefix = String.join("_", List.of(parts).subList(0, head)) + "_";
            String suffix = String.join("_", List.of(parts).subList(head, parts.length));
            if (row.contains("`" + prefix) && row.contains("`…_" + suffix + "`")) {
                return true;
            }
        }
        return false;
    }
}
