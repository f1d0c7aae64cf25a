package io.parley.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Reads Parley's settings from their sources.
 *
 * <p>The configuration file is a Java properties file. Two may apply: one packaged in the WAR
 * at {@code WEB-INF/parley.properties} (for teams that build their own WAR), then one named by
 * the system property {@code parley.config}, the environment variable {@code PARLEY_CONFIG} or
 * the servlet context parameter {@code parley.config}, in that order. Keys of the named file
 * win; environment variables and system properties win over both.
 */
public final class SettingsLoader {

    public static final String CONFIG_PROPERTY = "parley.config";
    public static final String CONFIG_ENV = "PARLEY_CONFIG";
    public static final String CONFIG_CONTEXT_PARAM = "parley.config";

    private SettingsLoader() {
    }

    /**
     * Loads the settings.
     *
     * @param packaged     the packaged properties file, or null when there is none
     * @param contextParam reads servlet context parameters (may return null)
     */
    public static Settings load(InputStream packaged, Function<String, String> contextParam) {
        return load(packaged, contextParam, System::getenv, System::getProperty);
    }

    static Settings load(InputStream packaged, Function<String, String> contextParam,
                         Function<String, String> env, Function<String, String> sysProps) {
        Map<String, String> values = new LinkedHashMap<>();
        StringBuilder origin = new StringBuilder();
        if (packaged != null) {
            values.putAll(read(packaged, "WEB-INF/parley.properties"));
            origin.append("WEB-INF/parley.properties");
        }
        String named = firstNonBlank(sysProps.apply(CONFIG_PROPERTY), env.apply(CONFIG_ENV),
                contextParam.apply(CONFIG_CONTEXT_PARAM));
        if (named != null) {
            Path file = Path.of(named);
            if (!Files.isReadable(file)) {
                throw new ConfigException(CONFIG_PROPERTY, "names a file that cannot be read: " + file.toAbsolutePath());
            }
            try (InputStream in = Files.newInputStream(file)) {
                values.putAll(read(in, file.toString()));
            } catch (IOException e) {
                throw new ConfigException("Cannot read configuration file " + file, e);
            }
            origin.append(origin.length() > 0 ? " + " : "").append(file.toAbsolutePath());
        }
        return new Settings(values, env, sysProps, origin.length() == 0 ? "defaults" : origin.toString());
    }

    private static Map<String, String> read(InputStream in, String name) {
        Properties p = new Properties();
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("Cannot read configuration file " + name, e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k.trim(), p.getProperty(k)));
        return out;
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }
}
