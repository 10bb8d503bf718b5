package io.taskmetering.adapter.marketplace;

import java.util.Locale;

/** Which Entra ID client-credentials form to use. */
public enum TokenForm {
    /** {@code POST …/{tenant}/oauth2/v2.0/token} with {@code scope=<app id>/.default} (the default). */
    V2_SCOPE("v2-scope", "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"),
    /** {@code POST …/{tenant}/oauth2/token} with {@code resource=<app id>} (v1; {@code expires_in} comes as a string). */
    V1_RESOURCE("v1-resource", "https://login.microsoftonline.com/{tenant}/oauth2/token");

    private final String wireName;
    private final String defaultTokenUrl;

    TokenForm(String wireName, String defaultTokenUrl) {
        this.wireName = wireName;
        this.defaultTokenUrl = defaultTokenUrl;
    }

    public String wireName() {
        return wireName;
    }

    /** The public Entra ID endpoint for this form; {@code {tenant}} is replaced by the tenant id. */
    public String defaultTokenUrl() {
        return defaultTokenUrl;
    }

    public static TokenForm parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (TokenForm form : values()) {
            if (form.wireName.equals(v) || form.name().equalsIgnoreCase(v)) {
                return form;
            }
        }
        return switch (v) {
            case "v2", "scope" -> V2_SCOPE;
            case "v1", "resource" -> V1_RESOURCE;
            default -> throw new IllegalArgumentException("must be v2-scope or v1-resource");
        };
    }
}
