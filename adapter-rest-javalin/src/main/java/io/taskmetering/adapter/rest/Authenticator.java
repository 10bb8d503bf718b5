package io.taskmetering.adapter.rest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Bearer API keys. Each presented key is hashed and compared with every configured key's hash in constant time
 * ({@link MessageDigest#isEqual}), without stopping at the first match, so timing reveals neither which key nor how
 * much of it matched. Keys are never logged or echoed. With no keys configured only loopback clients are served.
 */
final class Authenticator {
    private static final String BEARER = "Bearer ";

    private record Entry(byte[] hash, ApiKeyConfig key) {
    }

    private final List<Entry> entries;

    Authenticator(List<ApiKeyConfig> keys) {
        this.entries = keys.stream().map(k -> new Entry(sha256(k.key()), k)).toList();
    }

    boolean open() {
        return entries.isEmpty();
    }

    /**
     * The caller of a request, from its {@code Authorization} header and remote address.
     *
     * @throws ApiException 401 without a valid key; 403 for a non-loopback client when no keys are configured
     */
    Caller authenticate(String authorization, String remoteAddress) {
        if (open()) {
            if (!isLoopback(remoteAddress)) {
                throw ApiException.forbidden("no API keys are configured: only loopback clients are served");
            }
            return Caller.loopback();
        }
        if (authorization == null || authorization.isBlank()) {
            throw ApiException.unauthorized("an Authorization: Bearer <key> header is required");
        }
        if (authorization.length() < BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw ApiException.unauthorized("the Authorization header must use the Bearer scheme");
        }
        byte[] presented = sha256(authorization.substring(BEARER.length()).trim());
        ApiKeyConfig match = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.hash(), presented)) {
                match = entry.key();
            }
        }
        if (match == null) {
            throw ApiException.unauthorized("the API key is not valid");
        }
        return new Caller(match.name(), match.role(), match.subscriptions());
    }

    static boolean isLoopback(String address) {
        if (address == null || address.isEmpty()) {
            return false;
        }
        String literal = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        // Only IP literals: never resolve a name here.
        if (!literal.matches("[0-9a-fA-F:.%]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
