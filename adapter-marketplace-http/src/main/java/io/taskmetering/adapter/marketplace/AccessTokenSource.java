package io.taskmetering.adapter.marketplace;

/** Bearer tokens for the Metering API. Implementations are thread-safe and never log a token or a secret. */
public interface AccessTokenSource {
    /**
     * A token valid for a while yet (cached).
     *
     * @throws TokenUnavailableException when none can be obtained
     */
    String token();

    /**
     * Called after the Metering API refused {@code rejectedToken} (401/403): returns a token to try once more. A
     * token that another caller already replaced is not fetched again, and a token fetched because of a rejection a
     * moment ago is handed out as is, so a refusal that is not about the token cannot cause a storm of token requests.
     *
     * @throws TokenUnavailableException when none can be obtained
     */
    String refreshAfterRejection(String rejectedToken);
}
