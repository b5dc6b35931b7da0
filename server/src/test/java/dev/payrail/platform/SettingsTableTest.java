package dev.payrail.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /**
     * Where a README row gives plain defaults ({@code `50ms`, `1s`}, one per variable it names), they are the
     * table's. Rows that describe a default in words (embedded mode's, "empty: the HTTP port") are not compared.
     */
    @Test
    void theReadmeStatesTheTablesDefaults() throws IOException {
        List<String> rows = Files.readAllLines(Path.of("..", "README.md")).stream()
                .filter(line -> line.startsWith("| `PAYRAIL_")).toList();
        List<String> differing = new ArrayList<>();
        int compared = 0;
        for (String variable : SettingsTable.variables()) {
            String documented = variable.replaceFirst("^PAYRAIL_ACQUIRERS_(ALPHA|BETA|GAMMA)_", "PAYRAIL_ACQUIRERS_<NAME>_");
            for (String row : rows) {
                String[] cells = row.split("\\|");
                List<String> named = backticked(cells[1]);
                List<String> defaults = backticked(cells[2]);
                int at = position(named, documented);
                if (at < 0 || !cells[2].strip().matches("(`[^`]*`(, )?)+") || defaults.size() != named.size()) {
                    continue;
                }
                compared++;
                String expected = SettingsTable.row(variable).defaultValue();
                if (!defaults.get(at).equals(expected == null ? "" : expected)) {
                    differing.add(variable + ": README " + defaults.get(at) + ", table " + expected);
                }
            }
        }
        assertThat(differing).isEmpty();
        assertThat(compared).as("rows compared").isGreaterThan(50);
    }

    private static List<String> backticked(String cell) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile("`([^`]*)`").matcher(cell);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    /** Where a row's first cell names the variable, in full or as {@code …_SUFFIX} after a name sharing its head. */
    private static int position(List<String> named, String variable) {
        for (int i = 0; i < named.size(); i++) {
            String name = named.get(i);
            if (name.equals(variable)) {
                return i;
            }
            if (name.startsWith("…_") && variable.endsWith(name.substring(1))) {
                String head = variable.substring(0, variable.length() - name.length() + 1);
                if (named.stream().anyMatch(other -> other.startsWith(head) && !other.startsWith("…"))) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static boolean names(String row, String variable) {
        return position(backticked(row.split("\\|")[1]), variable) >= 0;
    }
}
