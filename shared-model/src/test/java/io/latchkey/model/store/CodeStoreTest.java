package io.latchkey.model.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.model.store.CodeStore.Redemption.Outcome;
import io.latchkey.model.domain.CodeGrant;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.testing.ClusterSlot;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class CodeStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    CodeStore codes;

    @Inject
    RefreshTokenStore refreshTokens;

    @Test
    void redeemWhenEverythingMatchesThenGrantAndRefreshTokenAndCodeGone() {
        Grants g = new Grants();
        OpaqueToken code = codes.issue(g.grant).await().atMost(WAIT);

        var redemption = codes.redeem(code.value(), Grants.CLIENT, Grants.REDIRECT, g.verifier, Grants.REFRESH).await().atMost(WAIT);

        assertThat(redemption.outcome()).isEqualTo(Outcome.REDEEMED);
        assertThat(redemption.grant()).isEqualTo(g.grant);
        assertThat(redemption.refreshToken()).isPresent();
        assertThat(TestRedis.get().command("EXISTS", RedisKeys.code(code.family(), code.hash()))).isEqualTo("0");
        assertThat(refreshTokens.find(redemption.refreshToken().get().value()).await().atMost(WAIT))
                .hasValueSatisfying(r -> assertThat(r.origin()).isEqualTo(g.grant));
    }

    @Test
    void codeIsStoredOnlyByItsHashWithTheCodeLifetime() {
        OpaqueToken code = codes.issue(new Grants().grant).await().atMost(WAIT);
        String key = RedisKeys.code(code.family(), code.hash());
        assertThat(key).doesNotContain(code.value().substring(23));
        long ttl = Long.parseLong(TestRedis.get().command("PTTL", key));
        assertThat(ttl).isBetween(1L, 3000L);
        assertThat(TestRedis.get().command("GET", key)).doesNotContain(code.value());
    }

    @Test
    void redeemWhenCodeExpiredThenUnknown() {
        Grants g = new Grants();
        OpaqueToken code = codes.issue(g.grant).await().atMost(WAIT);
        // Forced expiry: the code's own TTL cut to 1 ms, then Redis is asked until it has expired the key.
        String key = RedisKeys.code(code.family(), code.hash());
        assertThat(TestRedis.get().command("PEXPIRE", key, "1")).isEqualTo("1");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!"-2".equals(TestRedis.get().command("PTTL", key))) {
            assertThat(System.nanoTime()).as("code key still alive after " + WAIT).isLessThan(deadline);
            Thread.onSpinWait();
        }
        var redemption = codes.redeem(code.value(), Grants.CLIENT, Grants.REDIRECT, g.verifier, Grants.REFRESH).await().atMost(WAIT);
        assertThat(redemption.outcome()).isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void redeemWhenHundredRaceThenExactlyOneWinsAndEveryLoserSeesAlreadyUsed() {
        Grants g = new Grants();
        OpaqueToken code = codes.issue(g.grant).await().atMost(WAIT);

        List<Uni<CodeStore.Redemption>> attempts = IntStream.range(0, 100)
                .mapToObj(i -> codes.redeem(code.value(), Grants.CLIENT, Grants.REDIRECT, g.verifier, Grants.REFRESH))
                .toList();
        List<CodeStore.Redemption> results = Uni.join().all(attempts).andCollectFailures().await().atMost(WAIT);

        Map<Outcome, Long> byOutcome = results.stream()
                .collect(Collectors.groupingBy(CodeStore.Redemption::outcome, Collectors.counting()));
        assertThat(byOutcome).containsExactlyInAnyOrderEntriesOf(Map.of(Outcome.REDEEMED, 1L, Outcome.REPLAYED, 99L));
    }

    @Test
    void redeemWhenReplayedThenReplayReportedAndRefreshFamilyRevoked() {
        Grants g = new Grants();
        OpaqueToken code = codes.issue(g.grant).await().atMost(WAIT);
        var first = codes.redeem(code.value(), Grants.CLIENT, Grants.REDIRECT, g.verifier, Grants.REFRESH).await().atMost(WAIT);
        String refreshToken = first.refreshToken().orElseThrow().value();

        var replay = codes.redeem(code.value(), Grants.CLIENT, Grants.REDIRECT, g.verifier, Grants.REFRESH).await().atMost(WAIT);

        assertThat(replay.outcome()).isEqualTo(Outcome.REPLAYED);
        // The grant of the family it revoked, so that the audit event names the user.
        assertThat(replay.grant()).isEqualTo(g.grant);
        assertThat(refreshTokens.rotate(refreshToken, Grants.CLIENT, Duration.ofMinutes(5)).await().atMost(WAIT).outcome())
                .isEqualTo(RefreshTokenStore.Rotation.Outcome.REVOKED);
    }

    @Test
    void redeemWhenVerifierClientOrRedirectDiffersThenMismatchAndCodeUsedUp() {
        Map<String, Function<Grants, String[]>> wrong = Map.of(
                "code_verifier", g -> new String[] {Grants.CLIENT, Grants.REDIRECT, new Grants().verifier},
                "client_id", g -> new String[] {"other-client", Grants.REDIRECT, g.verifier},
                "redirect_uri", g -> new String[] {Grants.CLIENT, "https://evil.example/callback", g.verifier});
        wrong.forEach((parameter, args) -> {
            Grants g = new Grants();
            OpaqueToken code = codes.issue(g.grant).await().atMost(WAIT);
            String[] a = args.apply(g);

            var attempt = codes.redeem(code.value(), a[0], a[1], a[2], Grants.REFRESH).await().atMost(WAIT);
            assertThat(attempt.outcome()).as(parameter).isEqualTo(Outcome.MISMATCH);
            assertThat(attempt.mismatch()).isEqualTo(parameter);
            assertThat(attempt.grant()).isNull();
            assertThat(TestRedis.get().command("KEYS", RedisKeys.family(code.family()) + ":rt:*")).as("no refresh token stored").isEmpty();

            var legitimate = codes.redeem(code.value(), Grants.CLIENT, Grants.REDIRECT, g.verifier, Grants.REFRESH).await().atMost(WAIT);
            assertThat(legitimate.outcome()).as(parameter).isEqualTo(Outcome.REPLAYED);
        });
    }

    @Test
    void redeemWhenCodeBoundToADpopKeyThenOnlyAProofOfThatKeyRedeemsIt() {
        for (String presented : new String[] {null, "jkt-other"}) {
            Grants g = new Grants();
            CodeGrant bound = new CodeGrant(g.grant.clientId(), g.grant.redirectUri(), g.grant.codeChallenge(), g.grant.scopes(),
                    g.grant.nonce(), g.grant.subject(), g.grant.authTime(), g.grant.sessionId(), g.grant.amr(), g.grant.issuedAt(), "jkt-a");
            OpaqueToken code = codes.issue(bound).await().atMost(WAIT);
            var attempt = codes.redeem(code.value(), Grants.CLIENT, Grants.REDIRECT, g.verifier, Grants.REFRESH, presented)
                    .await().atMost(WAIT);
            assertThat(attempt.outcome()).as(String.valueOf(presented)).isEqualTo(Outcome.MISMATCH);
            assertThat(attempt.mismatch()).isEqualTo("dpop_jkt");
            assertThat(TestRedis.get().command("KEYS", RedisKeys.family(code.family()) + ":rt:*")).as("no refresh token stored").isEmpty();
        }
        Grants g = new Grants();
        CodeGrant bound = new CodeGrant(g.grant.clientId(), g.grant.redirectUri(), g.grant.codeChallenge(), g.grant.scopes(),
                g.grant.nonce(), g.grant.subject(), g.grant.authTime(), g.grant.sessionId(), g.grant.amr(), g.grant.issuedAt(), "jkt-a");
        OpaqueToken code = codes.issue(bound).await().atMost(WAIT);
        var redeemed = codes.redeem(code.value(), Grants.CLIENT, Grants.REDIRECT, g.verifier, Grants.REFRESH.boundTo("jkt-a"), "jkt-a")
                .await().atMost(WAIT);
        assertThat(redeemed.outcome()).isEqualTo(Outcome.REDEEMED);
        assertThat(redeemed.grant().dpopJkt()).isEqualTo("jkt-a");
        assertThat(TestRedis.get().command("HGET", RedisKeys.family(code.family()), "jkt")).isEqualTo("jkt-a");
    }

    @Test
    void redeemWhenCodeMalformedOrNeverIssuedThenUnknown() {
        Grants g = new Grants();
        for (String code : new String[] {null, "", "abc", OpaqueToken.newFamily().value(), "x".repeat(66), "é".repeat(66)}) {
            assertThat(codes.redeem(code, Grants.CLIENT, Grants.REDIRECT, g.verifier, Grants.REFRESH).await().atMost(WAIT).outcome())
                    .as(String.valueOf(code)).isEqualTo(Outcome.UNKNOWN);
        }
    }

    @Test
    void redeemWithoutRefreshPolicyThenNoFamilyIsStored() {
        Grants g = new Grants();
        OpaqueToken code = codes.issue(g.grant).await().atMost(WAIT);
        var r = codes.redeem(code.value(), Grants.CLIENT, Grants.REDIRECT, g.verifier, CodeStore.RefreshPolicy.NONE).await().atMost(WAIT);
        assertThat(r.outcome()).isEqualTo(Outcome.REDEEMED);
        assertThat(r.refreshToken()).isEmpty();
        assertThat(TestRedis.get().command("EXISTS", RedisKeys.family(code.family()))).isEqualTo("0");
    }

    @Test
    void everyKeyOfARedemptionSharesOneClusterSlot() {
        Grants g = new Grants();
        OpaqueToken code = codes.issue(g.grant).await().atMost(WAIT);
        var r = codes.redeem(code.value(), Grants.CLIENT, Grants.REDIRECT, g.verifier, Grants.REFRESH).await().atMost(WAIT);
        String f = code.family();
        var slots = java.util.stream.Stream.of(RedisKeys.code(f, code.hash()), RedisKeys.codeTombstone(f, code.hash()),
                RedisKeys.family(f), RedisKeys.refreshToken(f, r.refreshToken().orElseThrow().hash()))
                .map(ClusterSlot::of)
                .collect(Collectors.toSet());
        assertThat(slots).hasSize(1);
    }
}
