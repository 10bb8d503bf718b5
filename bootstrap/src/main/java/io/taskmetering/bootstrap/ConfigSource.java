package io.taskmetering.bootstrap;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where configuration values come from, in rising precedence: built-in defaults &lt; an optional properties file
 * &lt; environment variables. Keys are the environment variable names ({@code METERING_HTTP_PORT}); a properties file
 * may use them as they are or in dotted lower case ({@code metering.http.port}).
 */
public final class ConfigSource {
    private final Map<String, String> values;

    private ConfigSource(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static ConfigSource of(Path file, Map<String, String> environment) {
        Map<String, String> merged = new HashMap<>();
        if (file != null) {
            merged.putAll(readFile(file));
        }
        environment.forEach((key, value) -> {
            if (key.startsWith("METERING_")) {
                merged.put(key, value);
            }
        });
        return new ConfigSource(merged);
    }

    public static ConfigSource ofMap(Map<String, String> values) {
        return new ConfigSource(values);
    }

    private static Map<String, String> readFile(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException("--config", "cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> values = new HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            values.put(normalise(name), properties.getProperty(name).trim());
        }
        return values;
    }

    /** {@code metering.http.port} and {@code METERING_HTTP_PORT} are the same key. */
    static String normalise(String name) {
        return name.trim().replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    public Optional<String> get(String key) {
        String value = values.get(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
