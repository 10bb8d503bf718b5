package io.taskmetering.adapter.marketplace;

import io.taskmetering.domain.testdata.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EntraTokenClientTest {
    private MutableClock clock;
    private FakeMarketplace fake;

    @BeforeEach
    void start() throws IOException {
        clock = new MutableClock(TestEvents.NOW);
        fake = new FakeMarketplace(clock);
    }

    @AfterEach
    void stop() throws IOException {
        fake.close();
    }

    private EntraTokenClient tokens(MarketplaceConfig config) {
        return new EntraTokenClient(config, MarketplaceHttpClient.newHttpClient(config), clock);
    }

    @Test
    void v2FormAsksForTheMarketplaceScope() {
        String token = tokens(fake.config().build()).token();
        assertThat(token).isEqualTo("token-1");
        Map<String, String> form = fake.tokenForms.get(0);
        assertThat(form).containsEntry("grant_type", "client_credentials")
                .containsEntry("client_id", "client-1")
                .containsEntry("client_secret", "s3cr3t-value-never-logged")
                .containsEntry("scope", "20e940b3-4c77-4b0b-9a53-9e16a1b010a7/.default")
                .doesNotContainKey("resource");
        assertThat(fake.calls.get(0).path()).isEqualTo(FakeMarketplace.TOKEN_PATH);
    }

    @Test
    void v1FormAsksForTheResourceAndReadsExpiresInAsAString() {
        fake.expiresInAsString = true;
        fake.tokenLifetimeSeconds = 3599;
        EntraTokenClient tokens = tokens(fake.config().tokenForm(TokenForm.V1_RESOURCE).build());
        assertThat(tokens.token()).isEqualTo("token-1");
        assertThat(fake.tokenForms.get(0)).containsEntry("resource", "20e940b3-4c77-4b0b-9a53-9e16a1b010a7")
                .doesNotContainKey("scope");
        clock.advance(Duration.ofMinutes(50));
        assertThat(tokens.token()).isEqualTo("token-1");
        assertThat(fake.tokenRequests).hasValue(1);
    }

    @Test
    void theTokenIsCachedUntilShortlyBeforeItExpires() {
        EntraTokenClient tokens = tokens(fake.config().tokenRefreshSkew(Duration.ofMinutes(5)).build());
        assertThat(tokens.token()).isEqualTo("token-1");
        clock.advance(Duration.ofSeconds(3599 - 301));
        assertThat(tokens.token()).isEqualTo("token-1");
        clock.advance(Duration.ofSeconds(2));
        assertThat(tokens.token()).isEqualTo("token-2");
        assertThat(fake.tokenRequests).hasValue(2);
    }

    @Test
    void aShortLivedTokenIsRenewedAtHalfItsLifetime() {
        fake.tokenLifetimeSeconds = 60;
        EntraTokenClient tokens = tokens(fake.config().tokenRefreshSkew(Duration.ofMinutes(5)).build());
        tokens.token();
        clock.advance(Duration.ofSeconds(29));
        assertThat(tokens.token()).isEqualTo("token-1");
        clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.token()).isEqualTo("token-2");
    }

    @Test
    void concurrentCallersShareOneFetch() throws Exception {
        EntraTokenClient tokens = tokens(fake.config().build());
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> futures = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            futures.add(pool.submit(() -> {
                go.await();
                return tokens.token();
            }));
        }
        go.countDown();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        for (Future<String> f : futures) {
            seen.add(f.get());
        }
        pool.shutdown();
        assertThat(seen).containsExactly("token-1");
        assertThat(fake.tokenRequests).hasValue(1);
    }

    @Test
    void aRejectedTokenIsReplacedOnceAndNotAgainRightAway() {
        EntraTokenClient tokens = tokens(fake.config().build());
        String first = tokens.token();
        assertThat(tokens.refreshAfterRejection(first)).isEqualTo("token-2");
        assertThat(tokens.refreshAfterRejection(first)).as("someone else already replaced it").isEqualTo("token-2");
        assertThat(tokens.refreshAfterRejection("token-2")).as("just fetched after a rejection").isEqualTo("token-2");
        assertThat(fake.tokenRequests).hasValue(2);
        clock.advance(EntraTokenClient.REJECTION_REFRESH_HOLD.plusSeconds(1));
        assertThat(tokens.refreshAfterRejection("token-2")).isEqualTo("token-3");
    }

    @Test
    void refusalsAndOutagesOfTheTokenEndpointSayWhetherToTryAgain() throws IOException {
        EntraTokenClient refused = tokens(fake.config().clientSecret("wrong").build());
        assertThatThrownBy(refused::token).isInstanceOf(TokenUnavailableException.class)
                .hasMessageContaining("401").hasMessageContaining("invalid_client")
                .satisfies(e -> assertThat(((TokenUnavailableException) e).transientFailure()).isFalse());

        MarketplaceConfig config = fake.config().build();
        fake.close();
        EntraTokenClient unreachable = tokens(config);
        assertThatThrownBy(unreachable::token).isInstanceOf(TokenUnavailableException.class)
                .satisfies(e -> assertThat(((TokenUnavailableException) e).transientFailure()).isTrue());
    }

    @Test
    void expiresInMustBeAPositiveNumber() {
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(EntraTokenClient.expiresIn(m.valueToTree(3599))).isEqualTo(3599);
        assertThat(EntraTokenClient.expiresIn(m.valueToTree("3599"))).isEqualTo(3599);
        assertThatThrownBy(() -> EntraTokenClient.expiresIn(m.valueToTree("soon"))).isInstanceOf(TokenUnavailableException.class);
        assertThatThrownBy(() -> EntraTokenClient.expiresIn(m.valueToTree(0))).isInstanceOf(TokenUnavailableException.class);
        assertThatThrownBy(() -> EntraTokenClient.expiresIn(null)).isInstanceOf(TokenUnavailableException.class);
    }

    @Test
    void toStringHidesTheSecret() {
        assertThat(tokens(fake.config().build()).toString()).doesNotContain("s3cr3t").contains("client-1");
    }
}
