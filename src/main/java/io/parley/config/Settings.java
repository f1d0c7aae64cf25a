package io.parley.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Parley's server settings: an immutable view over the merged configuration sources, read
 * through typed getters that validate as they read.
 *
 * <p>Each package reads its own keys into its own settings record at start-up, so a bad value
 * fails the deployment before any request is served. Precedence, lowest first: built-in
 * defaults (given by the caller), the configuration file(s), environment variables
 * ({@code PARLEY_POLL_HOLD} for {@code poll.hold}) and system properties
 * ({@code parley.poll.hold}).
 */
public final class Settings {

    private final Map<String, String> fileValues;
    private final Function<String, String> env;
    private final Function<String, String> sysProps;
    private final String origin;
    private final Set<String> read = ConcurrentHashMap.newKeySet();

    Settings(Map<String, String> fileValues, Function<String, String> env,
             Function<String, String> sysProps, String origin) {
        this.fileValues = Collections.unmodifiableMap(new LinkedHashMap<>(fileValues));
        this.env = env;
        this.sysProps = sysProps;
        this.origin = origin;
    }

    /** Settings from a plain map only (tests, tools). */
    public static Settings of(Map<String, String> values) {
        return new Settings(values, k -> null, k -> null, "map");
    }

    /** Where the file values came from, for log lines. */
    public String origin() {
        return origin;
    }

    /** The environment variable that overrides {@code key}. */
    public static String envName(String key) {
        return "PARLEY_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The system property that overrides {@code key}. */
    public static String propertyName(String key) {
        return "parley." + key;
    }

    private String raw(String key) {
        read.add(key);
        String v = sysProps.apply(propertyName(key));
        if (v == null) {
            v = env.apply(envName(key));
        }
        if (v == null) {
            v = fileValues.get(key);
        }
        return v == null ? null : v.trim();
    }

    /** A string setting; empty values count as absent. */
    public String string(String key, String defaultValue) {
        String v = raw(key);
        return v == null || v.isEmpty() ? defaultValue : v;
    }

    public boolean bool(String key, boolean defaultValue) {
        String v = raw(key);
        if (v == null || v.isEmpty()) {
            return defaultValue;
        }
        switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1":
                return true;
            case "false", "no", "off", "0":
                return false;
            default:
                throw new ConfigException(key, "must be true or false, not '" + v + "'");
        }
    }

    public int integer(String key, int defaultValue, int min, int max) {
        String v = raw(key);
        if (v == null || v.isEmpty()) {
            return defaultValue;
        }
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "must be a whole number, not '" + v + "'");
        }
        if (n < min || n > max) {
            throw new ConfigException(key, "must be between " + min + " and " + max + ", not " + n);
        }
        return n;
    }

    /** A duration given in whole seconds. */
    public Duration seconds(String key, int defaultSeconds, int minSeconds, int maxSeconds) {
        return Duration.ofSeconds(integer(key, defaultSeconds, minSeconds, maxSeconds));
    }

    /** A duration given in milliseconds. */
    public Duration millis(String key, int defaultMillis, int minMillis, int maxMillis) {
        return Duration.ofMillis(integer(key, defaultMillis, minMillis, maxMillis));
    }

    /** A comma-separated list; blanks are dropped. */
    public List<String> list(String key, String defaultValue) {
        String v = string(key, defaultValue);
        if (v == null || v.isBlank()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
        return List.copyOf(out);
    }

    /** One of the given choices, case-insensitive, returned in upper case. */
    public String choice(String key, String defaultValue, String... choices) {
        String v = string(key, defaultValue).toUpperCase(Locale.ROOT);
        for (String c : choices) {
            if (c.equalsIgnoreCase(v)) {
                return c.toUpperCase(Locale.ROOT);
            }
        }
        throw new ConfigException(key, "must be one of " + String.join(", ", choices) + ", not '" + v + "'");
    }

    /**
     * Fails when a configuration file names a key that no part of Parley read: almost always a
     * typo that would otherwise silently leave a default (perhaps a security default) in place.
     */
    public void requireAllFileKeysKnown() {
        Set<String> unknown = new TreeSet<>(fileValues.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw new ConfigException(String.join(", ", unknown),
                    "unknown setting in " + origin + " (see the configuration reference in README.md)");
        }
    }
}
