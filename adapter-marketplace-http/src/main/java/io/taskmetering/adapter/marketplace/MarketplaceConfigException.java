package io.taskmetering.adapter.marketplace;

/** A Marketplace setting that cannot be used; the message starts with the configuration key. */
public final class MarketplaceConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String key;

    public MarketplaceConfigException(String key, String message) {
        super(key + ": " + message);
        this.key = key;
    }

    /** The configuration key, as documented in {@code docs/marketplace.md}. */
    public String key() {
        return key;
    }
}
