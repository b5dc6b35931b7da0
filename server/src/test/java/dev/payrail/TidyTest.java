package dev.payrail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Style rules that matter for money code, enforced by the build rather than by review. */
class TidyTest {

    private static final Path MAIN = Path.of("src/main/java/dev/payrail");

    private record Rule(String why, Pattern banned, String onlyUnder) {}

    private static final List<Rule> RULES = List.of(
            new Rule("money is integer minor units, never floating point",
                    Pattern.compile("\\b(double|float|Double|Float|BigDecimal)\\b"), "payment"),
            new Rule("money is integer minor units, never floating point",
                    Pattern.compile("\\b(double|float|Double|Float|BigDecimal)\\b"), "merchant"),
            new Rule("write to the log, not to standard output", Pattern.compile("System\\.out|printStackTrace\\("), ""),
            new Rule("read time from the injected Clock so tests can move it",
                    Pattern.compile("(Instant|LocalDateTime|LocalDate|ZonedDateTime|OffsetDateTime|YearMonth)\\.now\\(\\)"
                            + "|System\\.currentTimeMillis\\(\\)"), ""),
            new Rule("leave no FIXME behind; open an issue instead", Pattern.compile("FIXME|XXX:"), ""));

    @Test
    void mainCodeFollowsTheMoneyAndLoggingRules() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String relative = MAIN.relativize(file).toString();
                List<String> lines = Files.readAllLines(file);
                for (Rule rule : RULES) {
                    if (!relative.startsWith(rule.onlyUnder())) {
                        continue;
                    }
                    for (int i = 0; i < lines.size(); i++) {
                        String line = lines.get(i);
                        if (!line.trim().startsWith("*") && !line.trim().startsWith("//")
                                && rule.banned().matcher(line).find()) {
                            violations.add(relative + ":" + (i + 1) + " " + rule.why() + ": " + line.trim());
                        }
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void theRulesCatchWhatTheyAreMeantTo() {
        assertThat(RULES.get(0).banned().matcher("    double amount = 1.5;").find()).isTrue();
        assertThat(RULES.get(3).banned().matcher("var now = Instant.now();").find()).isTrue();
        assertThat(RULES.get(3).banned().matcher("YearMonth.now(clock)").find()).isFalse();
    }
}
