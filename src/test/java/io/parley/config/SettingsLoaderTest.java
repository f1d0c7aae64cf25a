package io.parley.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the configuration file comes from when Parley runs in a container: a system property, the
 * environment, or a context parameter of the container's own descriptor, so the WAR is never repackaged.
 */
class SettingsLoaderTest {

    private static final Function<String, String> NONE = k -> null;

    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static InputStream packaged(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Function<String, String> only(String key, Object value) {
        return Map.of(key, value.toString())::get;
    }

    @Test
    void withoutAnyFileTheDefaultsApply() {
        Settings s = SettingsLoader.load(null, NONE, NONE, NONE);
        assertEquals("defaults", s.origin());
        assertEquals("25", s.string("poll.hold", "25"));
    }

    @Test
    void theContextParameterOfTheContainersDescriptorNamesTheFile() throws IOException {
        Path f = file("context.properties", "poll.hold=7\n");
        Settings s = SettingsLoader.load(null, only("parley.config", f), NONE, NONE);
        assertEquals("7", s.string("poll.hold", "25"));
        assertEquals(f.toAbsolutePath().toString(), s.origin());
    }

    @Test
    void theEnvironmentVariableNamesTheFile() throws IOException {
        Path f = file("env.properties", "poll.hold=8\n");
        Settings s = SettingsLoader.load(null, NONE, only("PARLEY_CONFIG", f), NONE);
        assertEquals("8", s.string("poll.hold", "25"));
    }

    @Test
    void theSystemPropertyNamesTheFile() throws IOException {
        Path f = file("property.properties", "poll.hold=9\n");
        Settings s = SettingsLoader.load(null, NONE, NONE, only("parley.config", f));
        assertEquals("9", s.string("poll.hold", "25"));
    }

    @Test
    void theSystemPropertyWinsOverTheEnvironmentWhichWinsOverTheContextParameter() throws IOException {
        Path context = file("context.properties", "poll.hold=7\n");
        Path env = file("env.properties", "poll.hold=8\n");
        Path property = file("property.properties", "poll.hold=9\n");
        assertEquals("9", SettingsLoader.load(null, only("parley.config", context), only("PARLEY_CONFIG", env),
                only("parley.config", property)).string("poll.hold", "25"));
        assertEquals("8", SettingsLoader.load(null, only("parley.config", context), only("PARLEY_CONFIG", env), NONE)
                .string("poll.hold", "25"));
    }

    @Test
    void theNamedFileWinsOverThePackagedOneKeyByKey() throws IOException {
        Path f = file("named.properties", "poll.hold=9\n");
        Settings s = SettingsLoader.load(packaged("poll.hold=3\nadmission.hold=4\n"), only("parley.config", f), NONE, NONE);
        assertEquals("9", s.string("poll.hold", "25"));
        assertEquals("4", s.string("admission.hold", "20"));
        assertEquals("WEB-INF/parley.properties + " + f.toAbsolutePath(), s.origin());
    }

    @Test
    void demoModeIsOneEnvironmentVariableOrSystemPropertyAway() {
        assertTrue(SettingsLoader.load(null, NONE, only("PARLEY_DEMO", "true"), NONE).bool("demo", false));
        assertTrue(SettingsLoader.load(null, NONE, NONE, only("parley.demo", "true")).bool("demo", false));
        assertTrue(ServerSettings.from(SettingsLoader.load(null, NONE, only("PARLEY_DEMO", "true"), NONE)).demo());
    }

    @Test
    void aNamedFileThatCannotBeReadStopsTheStartNamingTheFile() {
        Path missing = dir.resolve("missing.properties");
        ConfigException e = assertThrows(ConfigException.class,
                () -> SettingsLoader.load(null, only("parley.config", missing), NONE, NONE));
        assertTrue(e.getMessage().contains("'parley.config'") && e.getMessage().contains(missing.toAbsolutePath().toString()),
                e.getMessage());
    }

    @Test
    void aBlankNameCountsAsNoneAndTheNextSourceApplies() throws IOException {
        Path f = file("context.properties", "poll.hold=7\n");
        Settings s = SettingsLoader.load(null, only("parley.config", f), only("PARLEY_CONFIG", " "), only("parley.config", ""));
        assertEquals("7", s.string("poll.hold", "25"));
    }
}
