package io.taskmetering.bootstrap;

/** A configuration value that cannot be used; the message names the key and stops start-up in one line. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String key;

    public ConfigException(String key, String message) {
        super(key + ": " + message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
