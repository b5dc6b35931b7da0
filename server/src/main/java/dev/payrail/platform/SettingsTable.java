package dev.payrail.platform;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The settings table, {@code payrail-settings.tsv}: every setting of {@link PayrailProperties} with its environment
 * variable, its default and the range it must lie in, as data in one place rather than as annotations repeated on
 * 81 record components. The defaults become the lowest-precedence property source (anything set anywhere else
 * wins); {@link PayrailProperties} checks every value against its range when it is bound.
 */
public final class SettingsTable {

    private static final String RESOURCE = "/payrail-settings.tsv";
    private static final String ATTACHED_SOURCE = "configurationProperties";

    /** One setting: {@code defaultValue} null when it has none; {@code min} and {@code max} null when any goes. */
    record Row(String variable, @Nullable String defaultValue, @Nullable String min, @Nullable String max) {}

    private static final Map<String, Row> ROWS = read();

    private SettingsTable() {}

    /** The defaults, named by their environment variables (so relaxed binding reads them as it reads the environment). */
    public static PropertySource<?> defaults() {
        Map<String, Object> values = new LinkedHashMap<>();
        ROWS.values().stream().filter(row -> row.defaultValue() != null)
                .forEach(row -> values.put(row.variable(), row.defaultValue()));
        // Spring Boot maps a source's names as environment variables only when its name ends in -systemEnvironment.
        return new SystemEnvironmentPropertySource("payrailDefaults-systemEnvironment", values);
    }

    /**
     * The settings of an environment that does not hold the defaults yet (before the application has started, and
     * in tests): bound from its sources with the defaults below them, the environment itself left as it is.
     */
    public static PayrailProperties bind(ConfigurableEnvironment env) {
        MutablePropertySources sources = new MutablePropertySources(env.getPropertySources());
        sources.remove(ATTACHED_SOURCE);
        sources.addLast(defaults());
        return new Binder(ConfigurationPropertySources.from(sources), new PropertySourcesPlaceholdersResolver(sources))
                .bindOrCreate("payrail", PayrailProperties.class);
    }

    static @Nullable Row row(String variable) {
        return ROWS.get(variable);
    }

    static Set<String> variables() {
        return ROWS.keySet();
    }

    private static Map<String, Row> read() {
        Map<String, Row> rows = new LinkedHashMap<>();
        try (InputStream in = SettingsTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    Row row = row(line.trim().split("\\s+"));
                    rows.put(row.variable(), row);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Collections.unmodifiableMap(rows);
    }

    private static Row row(String[] fields) {
        if (fields.length != 3) {
            throw new IllegalStateException(RESOURCE + ": a row has a variable, a default and a range: "
                    + String.join(" ", fields));
        }
        String defaultValue = switch (fields[1]) {
            case "-" -> null;
            case "''" -> "";
            default -> fields[1];
        };
        if (fields[2].equals("-")) {
            return new Row(fields[0], defaultValue, null, null);
        }
        String[] range = fields[2].split("\\.\\.", -1);
        if (range.length != 2) {
            throw new IllegalStateException(RESOURCE + ": the range of " + fields[0] + " is not MIN..MAX");
        }
        return new Row(fields[0], defaultValue, range[0], range[1]);
    }
}
