package io.latchkey.model.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.latchkey.model.store.RefreshTokenStore.Rotation.Outcome;
import io.latchkey.model.store.RefreshTokenStore.Rotation;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class RefreshTokenStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration IDLE = Duration.ofMinutes(5);
    /** Short reuse graces (issue 15, "many tabs"): one the test acts within, one it waits out. */
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final Duration SHORT_GRACE = Duration.ofSeconds(1);

    @Inject
    CodeStore codes;

    @Inject
    RefreshTokenStore refreshTokens;

    private String newFamily(Grants g) {
        OpaqueToken code = codes.issue(g.grant).await().atMost(WAIT);
        return codes.redeem(code.value(), Grants.CLIENT, Grants.REDIRECT, g.verifier, Grants.REFRESH)
                .await().atMost(WAIT).refreshToken().orElseThrow().value();
    }

    @Test
    void rotateWhenCurrentThenNewTokenOfSameFamilyAndOldOneRotated() {
        Grants g = new Grants();
        String first = newFamily(g);

        Rotation rotation = refreshTokens.rotate(first, Grants.CLIENT, IDLE).await().atMost(WAIT);

        assertThat(rotation.outcome()).isEqualTo(Outcome.ROTATED);
        assertThat(rotation.grant().origin()).isEqualTo(g.grant);
        assertThat(rotation.newToken().family()).isEqualTo(OpaqueToken.parse(first).orElseThrow().family());
        assertThat(rotation.newToken().value()).isNotEqualTo(first);
        assertThat(refreshTokens.find(first).await().atMost(WAIT)).isEmpty();
        assertThat(refreshTokens.find(rotation.newToken().value()).await().atMost(WAIT)).isPresent();
    }

    @Test
    void rotateWhenRotatedTokenReusedThenWholeFamilyRevoked() {
        String first = newFamily(new Grants());
        String second = refreshTokens.rotate(first, Grants.CLIENT, IDLE).await().atMost(WAIT).newToken().value();

        assertThat(refreshTokens.rotate(first, Grants.CLIENT, IDLE).await().atMost(WAIT).outcome()).isEqualTo(Outcome.REUSED);
        assertThat(refreshTokens.rotate(second, Grants.CLIENT, IDLE).await().atMost(WAIT).outcome()).isEqualTo(Outcome.REVOKED);
    }

    @Test
    void rotateWhenOtherClientThenRefusedAndTokenStillWorksForItsClient() {
        String first = newFamily(new Grants());
        assertThat(refreshTokens.rotate(first, "other-client", IDLE).await().atMost(WAIT).outcome()).isEqualTo(Outcome.WRONG_CLIENT);
        assertThat(refreshTokens.rotate(first, Grants.CLIENT, IDLE).await().atMost(WAIT).outcome()).isEqualTo(Outcome.ROTATED);
    }

    @Test
    void rotateWhenFiftyRaceThenOneRotatesAndTheFamilyEndsForTheRest() {
        String first = newFamily(new Grants());
        List<Uni<Rotation>> attempts = IntStream.range(0, 50)
                .mapToObj(i -> refreshTokens.rotate(first, Grants.CLIENT, IDLE)).toList();
        List<Rotation> results = Uni.join().all(attempts).andCollectFailures().await().atMost(WAIT);
        assertThat(results).filteredOn(r -> r.outcome() == Outcome.ROTATED).hasSize(1);
        assertThat(results).filteredOn(r -> r.outcome() == Outcome.ROTATED || r.outcome() == Outcome.REUSED
                || r.outcome() == Outcome.REVOKED).hasSize(50);
    }

    @Test
    void newTokenNeverOutlivesTheFamilysAbsoluteLifetime() {
        String first = newFamily(new Grants());
        Rotation rotation = refreshTokens.rotate(first, Grants.CLIENT, Duration.ofDays(365)).await().atMost(WAIT);
        String family = rotation.newToken().family();
        long familyTtl = Long.parseLong(TestRedis.get().command("PTTL", RedisKeys.family(family)));
        long tokenTtl = Long.parseLong(TestRedis.get().command("PTTL", RedisKeys.refreshToken(family, rotation.newToken().hash())));
        assertThat(familyTtl).isPositive().isLessThanOrEqualTo(Duration.ofHours(1).toMillis());
        // Both expiries are the same instant; Redis' clock inside a script may differ from outside by a millisecond.
        assertThat(tokenTtl).isPositive().isLessThanOrEqualTo(familyTtl + 5);
    }

    @Test
    void revokeFamilyEndsEveryToken() {
        String first = newFamily(new Grants());
        String family = OpaqueToken.parse(first).orElseThrow().family();
        assertThat(refreshTokens.revokeFamily(family).await().atMost(WAIT)).isTrue();
        assertThat(refreshTokens.revokeFamily(family).await().atMost(WAIT)).isFalse();
        assertThat(refreshTokens.rotate(first, Grants.CLIENT, IDLE).await().atMost(WAIT).outcome()).isEqualTo(Outcome.REVOKED);
        assertThat(refreshTokens.find(first).await().atMost(WAIT)).isEmpty();
    }

    @Test
    void rotateWhenFamilyBoundToADpopKeyThenKeptOnlyForThatKeyAndNothingChangesOtherwise() {
        Grants g = new Grants();
        OpaqueToken code = codes.issue(g.grant).await().atMost(WAIT);
        String first = codes.redeem(code.value(), Grants.CLIENT, Grants.REDIRECT, g.verifier, Grants.REFRESH.boundTo("jkt-a"), "jkt-a")
                .await().atMost(WAIT).refreshToken().orElseThrow().value();
        OpaqueToken token = OpaqueToken.parse(first).orElseThrow();
        String tokenKey = RedisKeys.refreshToken(token.family(), token.hash());
        assertThat(TestRedis.get().command("HGET", RedisKeys.family(token.family()), "jkt")).isEqualTo("jkt-a");

        for (String other : new String[] {null, "jkt-b"}) {
            assertThat(refreshTokens.rotate(first, Grants.CLIENT, IDLE, other, Duration.ZERO).await().atMost(WAIT).outcome()).isEqualTo(Outcome.WRONG_KEY);
        }
        assertThat(TestRedis.get().command("GET", tokenKey)).isEqualTo("current");
        assertThat(TestRedis.get().command("HGET", RedisKeys.family(token.family()), "revoked")).isEqualTo("0");

        TestRedis.get().command("PEXPIRE", tokenKey, "1000");
        Rotation kept = refreshTokens.rotate(first, Grants.CLIENT, IDLE, "jkt-a", Duration.ZERO).await().atMost(WAIT);
        assertThat(kept.outcome()).isEqualTo(Outcome.KEPT);
        assertThat(kept.newToken().value()).isEqualTo(first);
        assertThat(kept.grant().dpopJkt()).isEqualTo("jkt-a");
        assertThat(Long.parseLong(TestRedis.get().command("PTTL", tokenKey))).as("the idle lifetime slid").isGreaterThan(IDLE.toMillis() - 5_000);
        assertThat(refreshTokens.rotate(first, Grants.CLIENT, IDLE, "jkt-a", Duration.ZERO).await().atMost(WAIT).outcome()).isEqualTo(Outcome.KEPT);
        assertThat(refreshTokens.find(first).await().atMost(WAIT)).get().extracting(g2 -> g2.dpopJkt()).isEqualTo("jkt-a");
    }

    @Test
    void rotateWhenUnboundFamilyRefreshedWithAKeyThenRotatedAndBoundFromThenOn() {
        String first = newFamily(new Grants());
        Rotation rotation = refreshTokens.rotate(first, Grants.CLIENT, IDLE, "jkt-a", Duration.ZERO).await().atMost(WAIT);
        assertThat(rotation.outcome()).isEqualTo(Outcome.ROTATED);
        String second = rotation.newToken().value();
        assertThat(refreshTokens.rotate(second, Grants.CLIENT, IDLE, null, Duration.ZERO).await().atMost(WAIT).outcome()).isEqualTo(Outcome.WRONG_KEY);
        assertThat(refreshTokens.rotate(second, Grants.CLIENT, IDLE, "jkt-a", Duration.ZERO).await().atMost(WAIT).outcome()).isEqualTo(Outcome.KEPT);
        // The rotated token is still recognised as reuse.
        assertThat(refreshTokens.rotate(first, Grants.CLIENT, IDLE, "jkt-a", Duration.ZERO).await().atMost(WAIT).outcome()).isEqualTo(Outcome.REUSED);
    }

    @Test
    void rotateWhenFiveRaceWithinTheGraceThenAllGetTheSameSuccessorAndTheFamilyLives() {
        String first = newFamily(new Grants());
        List<Rotation> results = Uni.join().all(IntStream.range(0, 5)
                .mapToObj(i -> refreshTokens.rotate(first, Grants.CLIENT, IDLE, null, GRACE)).toList())
                .andCollectFailures().await().atMost(WAIT);

        assertThat(results).filteredOn(r -> r.outcome() == Outcome.ROTATED).hasSize(1);
        assertThat(results).filteredOn(r -> r.outcome() == Outcome.REPEATED_IN_GRACE).hasSize(4)
                .allSatisfy(r -> assertThat(r.grant().clientId()).isEqualTo(Grants.CLIENT));
        assertThat(results.stream().map(r -> r.newToken().value()).distinct()).hasSize(1);
        String successor = results.get(0).newToken().value();
        assertThat(familyRevoked(first)).isNotEqualTo("1");
        assertThat(refreshTokens.find(successor).await().atMost(WAIT)).isPresent();
        assertThat(refreshTokens.rotate(successor, Grants.CLIENT, IDLE, null, GRACE).await().atMost(WAIT).outcome())
                .isEqualTo(Outcome.ROTATED);
    }

    @Test
    void rotateWhenRepeatedAfterTheGraceThenFamilyRevokedSuccessorToo() {
        String first = newFamily(new Grants());
        String successor = refreshTokens.rotate(first, Grants.CLIENT, IDLE, null, SHORT_GRACE).await().atMost(WAIT).newToken().value();
        awaitGraceOver(first);

        assertThat(refreshTokens.rotate(first, Grants.CLIENT, IDLE, null, SHORT_GRACE).await().atMost(WAIT).outcome())
                .isEqualTo(Outcome.REUSED);
        assertThat(familyRevoked(first)).isEqualTo("1");
        assertThat(refreshTokens.rotate(successor, Grants.CLIENT, IDLE, null, SHORT_GRACE).await().atMost(WAIT).outcome())
                .isEqualTo(Outcome.REVOKED);
    }

    @Test
    void rotateWhenNoGraceThenImmediateRepeatRevokesAndNothingMoreIsStored() {
        String first = newFamily(new Grants());
        OpaqueToken token = OpaqueToken.parse(first).orElseThrow();
        String successor = refreshTokens.rotate(first, Grants.CLIENT, IDLE, null, Duration.ZERO).await().atMost(WAIT).newToken().value();
        assertThat(TestRedis.get().command("GET", RedisKeys.refreshToken(token.family(), token.hash()))).isEqualTo("rotated");
        assertThat(TestRedis.get().command("EXISTS", RedisKeys.refreshTokenGrace(token.family(), token.hash()))).isEqualTo("0");

        assertThat(refreshTokens.rotate(first, Grants.CLIENT, IDLE, null, Duration.ZERO).await().atMost(WAIT).outcome())
                .isEqualTo(Outcome.REUSED);
        assertThat(refreshTokens.rotate(successor, Grants.CLIENT, IDLE).await().atMost(WAIT).outcome()).isEqualTo(Outcome.REVOKED);
    }

    @Test
    void rotateWhenSuccessorAlreadyRotatedThenRepeatWithinTheGraceRevokes() {
        String first = newFamily(new Grants());
        String second = refreshTokens.rotate(first, Grants.CLIENT, IDLE, null, GRACE).await().atMost(WAIT).newToken().value();
        String third = refreshTokens.rotate(second, Grants.CLIENT, IDLE, null, GRACE).await().atMost(WAIT).newToken().value();

        assertThat(refreshTokens.rotate(first, Grants.CLIENT, IDLE, null, GRACE).await().atMost(WAIT).outcome()).isEqualTo(Outcome.REUSED);
        assertThat(familyRevoked(first)).isEqualTo("1");
        assertThat(refreshTokens.rotate(third, Grants.CLIENT, IDLE, null, GRACE).await().atMost(WAIT).outcome()).isEqualTo(Outcome.REVOKED);
    }

    @Test
    void rotateWhenAnotherClientRepeatsWithinTheGraceThenRefusedAndNothingChanges() {
        String first = newFamily(new Grants());
        String successor = refreshTokens.rotate(first, Grants.CLIENT, IDLE, null, GRACE).await().atMost(WAIT).newToken().value();

        // The presenting client's own grace does not matter: the token's is open, and it is not that client's.
        Rotation foreign = refreshTokens.rotate(first, "other-client", IDLE, null, Duration.ZERO).await().atMost(WAIT);
        assertThat(foreign.outcome()).isEqualTo(Outcome.WRONG_CLIENT);
        assertThat(foreign.newToken()).isNull();
        assertThat(familyRevoked(first)).isNotEqualTo("1");
        Rotation own = refreshTokens.rotate(first, Grants.CLIENT, IDLE, null, GRACE).await().atMost(WAIT);
        assertThat(own.outcome()).isEqualTo(Outcome.REPEATED_IN_GRACE);
        assertThat(own.newToken().value()).isEqualTo(successor);
    }

    @Test
    void rotateWhenFamilyRevokedThenRepeatWithinTheGraceIsRevoked() {
        String first = newFamily(new Grants());
        refreshTokens.rotate(first, Grants.CLIENT, IDLE, null, GRACE).await().atMost(WAIT);
        refreshTokens.revokeFamily(OpaqueToken.parse(first).orElseThrow().family()).await().atMost(WAIT);
        assertThat(refreshTokens.rotate(first, Grants.CLIENT, IDLE, null, GRACE).await().atMost(WAIT).outcome()).isEqualTo(Outcome.REVOKED);
    }

    @Test
    void graceKeepsTheSuccessorOnlySealedForTheRotatedTokensHolderAndOnlyForTheGrace() {
        String first = newFamily(new Grants());
        OpaqueToken token = OpaqueToken.parse(first).orElseThrow();
        OpaqueToken successor = refreshTokens.rotate(first, Grants.CLIENT, IDLE, null, GRACE).await().atMost(WAIT).newToken();
        String secret = successor.value().substring(successor.family().length() + 1);

        // The rotated token's own value is what it is without a grace; nothing of the family holds the successor.
        assertThat(TestRedis.get().command("GET", RedisKeys.refreshToken(token.family(), token.hash()))).isEqualTo("rotated");
        String graceKey = RedisKeys.refreshTokenGrace(token.family(), token.hash());
        String raw = TestRedis.get().command("GET", graceKey);
        assertThat(raw).doesNotContain(successor.value()).doesNotContain(secret).doesNotContain(first)
                .endsWith(" " + RedisKeys.refreshToken(token.family(), successor.hash()));
        for (String key : TestRedis.get().command("KEYS", RedisKeys.family(token.family()) + "*").split("\\s+")) {
            String type = TestRedis.get().command("TYPE", key);
            String value = type.equals("hash") ? TestRedis.get().command("HGETALL", key) : TestRedis.get().command("GET", key);
            assertThat(value).as(key).doesNotContain(secret);
        }
        // It opens with the rotated token only, and lives no longer than the grace.
        String sealed = raw.substring(0, raw.indexOf(' '));
        assertThat(SuccessorSeal.open(token, sealed)).contains(successor);
        assertThat(SuccessorSeal.open(OpaqueToken.inFamily(token.family()), sealed)).isEmpty();
        assertThat(SuccessorSeal.open(successor, sealed)).isEmpty();
        assertThat(Long.parseLong(TestRedis.get().command("PTTL", graceKey))).isPositive().isLessThanOrEqualTo(GRACE.toMillis());
    }

    @Test
    void rotateWhenGraceRecordTamperedThenServerErrorAndNoSuccessorHandedOut() {
        String first = newFamily(new Grants());
        OpaqueToken token = OpaqueToken.parse(first).orElseThrow();
        OpaqueToken successor = refreshTokens.rotate(first, Grants.CLIENT, IDLE, null, GRACE).await().atMost(WAIT).newToken();
        // A seal made for another token of the family, as someone who can write to Redis but lacks the token would.
        OpaqueToken other = OpaqueToken.inFamily(token.family());
        TestRedis.get().command("SET", RedisKeys.refreshTokenGrace(token.family(), token.hash()),
                SuccessorSeal.seal(other, other) + " " + RedisKeys.refreshToken(token.family(), successor.hash()), "PX", "10000");

        assertThat(catchThrowable(
                () -> refreshTokens.rotate(first, Grants.CLIENT, IDLE, null, GRACE).await().atMost(WAIT)))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.CORRUPT));
    }

    @Test
    void rotateWhenMalformedOrUnknownThenUnknown() {
        for (String token : new String[] {null, "", "garbage", OpaqueToken.newFamily().value()}) {
            assertThat(refreshTokens.rotate(token, Grants.CLIENT, IDLE).await().atMost(WAIT).outcome()).isEqualTo(Outcome.UNKNOWN);
        }
    }

    private static String familyRevoked(String token) {
        return TestRedis.get().command("HGET", RedisKeys.family(OpaqueToken.parse(token).orElseThrow().family()), "revoked");
    }

    /** Waits (bounded) until the rotated token's grace has run out: Redis has dropped its record. */
    private static void awaitGraceOver(String rotated) {
        OpaqueToken token = OpaqueToken.parse(rotated).orElseThrow();
        String graceKey = RedisKeys.refreshTokenGrace(token.family(), token.hash());
        TestRedis.get().awaitGone(graceKey, Duration.ofSeconds(5));
    }
}
