package io.taskmetering.domain.evaluation;

import io.taskmetering.domain.common.Require;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The fingerprint a decision records of its evidence: SHA-256 of the evidence's RFC 8785 (JCS) form, so equal
 * evidence always gives the same digest, whatever member order or number spelling it arrived with, and anyone holding
 * the evidence as JSON can recompute the digest with any JCS implementation.
 */
public final class EvidenceDigest {
    /** A MessageDigest per thread: looking one up per call cost more than hashing small evidence. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    });
    private static final HexFormat HEX = HexFormat.of();

    private EvidenceDigest() {
    }

    /** Lowercase hex SHA-256 of the UTF-8 bytes of {@code CanonicalJson.write(evidence.toJsonLike())}. */
    public static String sha256(Evidence evidence) {
        Require.present("evidence", evidence);
        byte[] canonical = CanonicalJson.write(evidence.toJsonLike()).getBytes(StandardCharsets.UTF_8);
        return HEX.formatHex(SHA256.get().digest(canonical));
    }
}
