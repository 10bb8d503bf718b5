package io.taskmetering.bootstrap;

import java.util.regex.Pattern;

/**
 * The one place that makes a configuration value or a message safe to print: every log line and error message of
 * the service that shows a URL, a configured value or a driver's message passes through it. Database URLs carry
 * passwords as parameters ({@code ;PASSWORD=} for H2, {@code ?password=} for PostgreSQL) or as user information
 * ({@code //user:pass@host}); token endpoints and forms carry client secrets and tokens. Keys whose whole value is a
 * secret (database password, client secret, API keys) are never shown at all: {@link #SECRET}.
 */
final class Redactor {
    /** What a secret is printed as. */
    static final String SECRET = "****";

    /**
     * {@code password=…}, {@code sslpassword=…}, {@code client_secret=…}, {@code access_token=…}: the value goes, up to
     * the next parameter ({@code ;} {@code &} {@code ,}), quote or line end; spaces included, as H2's encrypted-file
     * form is {@code PASSWORD=filepwd userpwd}. A value already redacted is left alone, so redacting twice changes
     * nothing.
     */
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)([\\w.-]*(?:password|secret|token)\\s*=\\s*\"?)(?!\\*{4}(?:[;&,\\s'\"]|$))[^;&,'\"\\r\\n]+");
    /**
     * {@code scheme://user:password@host}, or {@code user:password@host} as a driver repeats it in a message: the
     * password goes, the user stays.
     */
    private static final Pattern USER_INFO = Pattern.compile(
            "(?i)((?:[a-z][a-z0-9+.-]*://|\\b)[^/@\\s:'\"=]+):[^/@\\s'\"]+@");

    private Redactor() {
    }

    /** The text with every password, secret or token it carries replaced by {@link #SECRET}. */
    static String text(String text) {
        // every log line passes here: neither pattern can match without '=' or '@'
        if (text == null || (text.indexOf('=') < 0 && text.indexOf('@') < 0)) {
            return text;
        }
        String withoutParameters = SECRET_PARAMETER.matcher(text).replaceAll("$1" + SECRET);
        return USER_INFO.matcher(withoutParameters).replaceAll("$1:" + SECRET + "@");
    }
}
