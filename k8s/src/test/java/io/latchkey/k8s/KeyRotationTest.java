package io.latchkey.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.latchkey.model.keys.SigningKeys;
import io.latchkey.model.keys.VerificationKeys;
import io.latchkey.model.store.RedisKeys;
import io.latchkey.testing.TestRedis;
import io.vertx.redis.client.RedisOptions;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.Test;

/**
 * The schedule of the key set in Redis across two packaged token-service replicas sharing one Redis, with
 * durations of seconds: a key is staged (published), signs from its own start time, and is retired, while both
 * replicas issue tokens all along. Every token's kid was at /jwks of both replicas before the token was asked
 * for, and its signature verifies, with Nimbus, against both /jwks fetched right after.
 */
class KeyRotationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long PERIOD_MS = 6000;
    private static final Pattern STAGED = Pattern.compile("Signing key rotation: staged \\[([^]]*)]");

    private record Issued(String replica, String kid, String token, long atMillis) {
    }

    @Test
    void keysRotateFromStagedToRetiredAcrossTwoReplicasAndNoTokenIsSignedByAKeyNotYetPublishedEverywhere() throws Exception {
        TestRedis redis = TestRedis.get();
        redis.command("DEL", RedisKeys.signingKeys(), RedisKeys.publishedKeys(), RedisKeys.signingKeyRotationLock());
        Map<String, String> settings = Map.of(
                "QUARKUS_REDIS_HOSTS", redis.url(),
                "LATCHKEY_KEYS_FILE", "",
                "LATCHKEY_KEYS_RELOAD_INTERVAL", "200ms",
                "LATCHKEY_KEYS_ROTATION_SIGNING_PERIOD", PERIOD_MS + "ms",
                "LATCHKEY_KEYS_ROTATION_PUBLISH_AHEAD", "2s",
                "LATCHKEY_KEYS_ROTATION_RETIRE_AFTER", "3s",
                "LATCHKEY_LIFETIMES_ACCESS_TOKEN", "3s",
                "LATCHKEY_LIFETIMES_ID_TOKEN", "3s");
        try (PackagedService a = PackagedService.start("rotation-a", settings);
                PackagedService b = PackagedService.start("rotation-b", settings);
                CodeIssuer issuer = new CodeIssuer(new RedisOptions().setConnectionString(redis.url()))) {
            List<PackagedService> replicas = List.of(a, b);
            List<Issued> issued = new ArrayList<>();
            Map<String, Long> signsFromByKid = new LinkedHashMap<>();
            List<Double> ages = new ArrayList<>();

            long end = System.currentTimeMillis() + 3 * PERIOD_MS;
            for (int i = 0; System.currentTimeMillis() < end; i++) {
                issued.add(issueAndCheck(replicas.get(i % 2), i % 2 == 0 ? "a" : "b", issuer, replicas));
                recordSchedule(redis, signsFromByKid);
                if (i % 5 == 0) {
                    ages.add(checkAge(replicas.get(i % 2), redis));
                }
            }
            assertThat(issued.stream().map(Issued::kid).distinct().count()).as("RS256 keys that signed").isGreaterThanOrEqualTo(3);
            // The age follows the signing key: it grows, and drops when the next key takes over.
            assertThat(ages).isNotEmpty();
            boolean dropped = false;
            for (int i = 1; i < ages.size(); i++) {
                dropped |= ages.get(i) < ages.get(i - 1) - 1;
            }
            assertThat(dropped).as("latchkey_signing_key_age_seconds dropped after a promotion: " + ages).isTrue();

            // One stage per period, by one replica: consecutive keys start signing a whole period apart.
            List<Long> starts = signsFromByKid.values().stream().filter(s -> s > 0).sorted().toList();
            assertThat(starts).hasSizeGreaterThanOrEqualTo(2);
            for (int i = 1; i < starts.size(); i++) {
                assertThat((starts.get(i) - starts.get(i - 1)) * 1000).as("starts %s", starts).isGreaterThanOrEqualTo(PERIOD_MS - 1000);
            }
            // ... and each staged by exactly one of the two replicas.
            String logs = a.log() + b.log();
            signsFromByKid.forEach((kid, signsFrom) -> {
                if (signsFrom > 0) {
                    assertThat(count(logs, kid)).as("stage log lines naming %s", kid).isEqualTo(1);
                }
            });

            // A retired key is gone from /jwks of both replicas and from what authorize-service reads; its tokens fail.
            Issued first = issued.get(0);
            for (PackagedService replica : replicas) {
                assertThat(JWKSet.parse(replica.jwks().body()).getKeyByKeyId(first.kid())).isNull();
                assertThat(verifies(first.token(), replica.jwks().body())).isFalse();
            }
            assertThat(VerificationKeys.parse(redis.command("GET", RedisKeys.publishedKeys()), "t").has(first.kid())).isFalse();

            leaseOfADeadReplicaBlocksRotationUntilItExpires(redis, replicas, issuer);
        }
    }

    /**
     * A lease left by a replica that died holding it (SET with a TTL, as RedisLock does): nobody rotates while it
     * lives, nobody but the holder may release it, and once it expires the overdue step happens.
     */
    private static void leaseOfADeadReplicaBlocksRotationUntilItExpires(TestRedis redis, List<PackagedService> replicas,
            CodeIssuer issuer) throws Exception {
        String lock = RedisKeys.signingKeyRotationLock();
        long holdMs = PERIOD_MS + 1500;
        assertThat(redis.command("SET", lock, "dead-replica", "PX", Long.toString(holdMs), "NX")).isEqualTo("OK");
        long expires = System.currentTimeMillis() + holdMs;
        String held = redis.command("GET", RedisKeys.signingKeys());
        while (System.currentTimeMillis() < expires - 300) {
            // Keys still switch over at their start time without any write; tokens keep verifying everywhere.
            issueAndCheck(replicas.get(0), "a", issuer, replicas);
            assertThat(redis.command("GET", RedisKeys.signingKeys())).as("no step while the lease lives").isEqualTo(held);
            assertThat(redis.command("GET", lock)).isEqualTo("dead-replica");
            PackagedService.sleep(100);
        }
        redis.awaitGone(lock, java.time.Duration.ofSeconds(5));
        long deadline = System.currentTimeMillis() + 3000;
        while (held.equals(redis.command("GET", RedisKeys.signingKeys())) && System.currentTimeMillis() < deadline) {
            PackagedService.sleep(50);
        }
        assertThat(redis.command("GET", RedisKeys.signingKeys())).as("the overdue step, once the lease expired").isNotEqualTo(held);
    }

    /**
     * A code exchange at {@code at}: the kid must have been at /jwks of every replica before the request, and the
     * ID token and access token must verify against /jwks of every replica after it.
     */
    private static Issued issueAndCheck(PackagedService at, String name, CodeIssuer issuer, List<PackagedService> replicas)
            throws Exception {
        List<JWKSet> before = new ArrayList<>();
        for (PackagedService replica : replicas) {
            before.add(JWKSet.parse(replica.jwks().body()));
        }
        CodeIssuer.IssuedCode code = issuer.issue();
        long atMillis = System.currentTimeMillis();
        HttpResponse<String> response = at.redeem(code.code(), code.verifier());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String idToken = JSON.readTree(response.body()).path("id_token").asText();
        String accessToken = JSON.readTree(response.body()).path("access_token").asText();
        String kid = SignedJWT.parse(idToken).getHeader().getKeyID();
        assertThat(SignedJWT.parse(accessToken).getHeader().getKeyID()).isEqualTo(kid);
        for (JWKSet set : before) {
            assertThat(set.getKeyByKeyId(kid)).as("kid %s published by every replica before it signed", kid).isNotNull();
        }
        for (PackagedService replica : replicas) {
            String jwks = replica.jwks().body();
            assertThat(verifies(idToken, jwks)).isTrue();
            assertThat(verifies(accessToken, jwks)).isTrue();
        }
        return new Issued(name, kid, idToken, atMillis);
    }

    private static boolean verifies(String token, String jwks) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        JWK key = JWKSet.parse(jwks).getKeyByKeyId(jwt.getHeader().getKeyID());
        return key != null && jwt.verify(new RSASSAVerifier(key.toRSAKey()));
    }

    /** The RS256 keys in Redis and when each starts signing (0: the first key, signing since it was made). */
    private static void recordSchedule(TestRedis redis, Map<String, Long> signsFromByKid) {
        String stored = redis.command("GET", RedisKeys.signingKeys());
        for (PublicJsonWebKey key : SigningKeys.parse(stored, "t").ofAlgorithm("RS256")) {
            signsFromByKid.putIfAbsent(key.getKeyId(), SigningKeys.signsFrom(key));
        }
    }

    /** The gauge against the signing key's own creation time in Redis; returns the gauge. */
    private static double checkAge(PackagedService replica, TestRedis redis) {
        double age = replica.metrics().value("latchkey_signing_key_age_seconds", Map.of("alg", "RS256"));
        long now = System.currentTimeMillis();
        PublicJsonWebKey signing = SigningKeys.parse(redis.command("GET", RedisKeys.signingKeys()), "t").signing("RS256", now).orElseThrow();
        double expected = (now - SigningKeys.created(signing).orElseThrow() * 1000) / 1000.0;
        // Created is kept in whole seconds, and a scrape, a read and a switch-over may fall between the two reads.
        if (Math.abs(age - expected) > 1.5) {
            PublicJsonWebKey again = SigningKeys.parse(redis.command("GET", RedisKeys.signingKeys()), "t")
                    .signing("RS256", System.currentTimeMillis()).orElseThrow();
            assertThat(again.getKeyId()).as("gauge %s, expected %s", age, expected).isNotEqualTo(signing.getKeyId());
        }
        return age;
    }

    private static int count(String logs, String kid) {
        Matcher m = STAGED.matcher(logs);
        int n = 0;
        while (m.find()) {
            n += m.group(1).contains(kid) ? 1 : 0;
        }
        return n;
    }
}
