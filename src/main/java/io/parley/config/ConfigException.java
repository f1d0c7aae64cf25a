package io.parley.config;

/** A setting is missing, malformed or unsafe; Parley refuses to start with it. */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String key, String problem) {
        super("Setting '" + key + "' " + problem);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
