package io.latchkey.model.store;

import io.latchkey.model.config.LatchkeyConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.sortedset.ReactiveSortedSetCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Which SSO sessions and grant families belong to a user, so that disabling or deleting the user ends them at
 * once, while the token leg itself never asks the directory whether a user is still enabled: a family that
 * lives in Redis is the answer.
 */
@ApplicationScoped
public class SubjectGrants {

    private static final RedisScript INDEX = RedisScript.load("index-subject-grant.lua");
    private static final RedisScript END_FAMILY = RedisScript.load("end-family.lua");

    private final ReactiveRedisDataSource redis;
    private final ReactiveSortedSetCommands<String, String> sortedSets;
    private final RedisCalls calls;
    private final LatchkeyConfig config;

    public SubjectGrants(ReactiveRedisDataSource redis, RedisCalls calls, LatchkeyConfig config) {
        this.redis = redis;
        this.sortedSets = redis.sortedSet(String.class);
        this.calls = calls;
        this.config = config;
    }

    /** A family started by a code of this subject; it can live as long as the longest refresh family. */
    public Uni<Void> addFamily(String subject, String family) {
        return index(RedisKeys.subjectFamilies(subject), family, config.lifetimes().refreshTokenMax().toMillis());
    }

    public Uni<Void> addSession(String subject, String sessionId) {
        return index(RedisKeys.subjectSessions(subject), sessionId, config.lifetimes().sessionMax().toMillis());
    }

    private Uni<Void> index(String key, String member, long lifetimeMillis) {
        long now = System.currentTimeMillis();
        return calls.run(INDEX, redis, List.of(key),
                List.of(member, Long.toString(now + lifetimeMillis), Long.toString(now))).replaceWithVoid();
    }

    /** The ids of the SSO sessions indexed under the subject (some may have ended idle since; read them to know). */
    public Uni<List<String>> sessions(String subject) {
        return calls.guard("ZRANGE", sortedSets.zrange(RedisKeys.subjectSessions(subject), 0, -1));
    }

    /** The grant families indexed under the subject (some may be pending codes, expired or revoked). */
    public Uni<List<String>> families(String subject) {
        return calls.guard("ZRANGE", sortedSets.zrange(RedisKeys.subjectFamilies(subject), 0, -1));
    }

    /**
     * Ends one SSO session of the subject: its record is deleted, so the browser's next silent renewal finds no
     * session (login_required), and it leaves the index. Returns whether the session was still alive.
     */
    public Uni<Boolean> endSession(String subject, String sessionId) {
        return deleteSession(sessionId).call(() -> calls.guard("ZREM", sortedSets.zrem(RedisKeys.subjectSessions(subject), sessionId)));
    }

    /**
     * Ends one grant family of the subject as {@link #endAll} does: its refresh token and the access tokens issued
     * from it stop working at once, and a code of it not redeemed yet grants nothing.
     */
    public Uni<Void> endFamily(String subject, String family) {
        return markFamilyEnded(family).call(() -> calls.guard("ZREM", sortedSets.zrem(RedisKeys.subjectFamilies(subject), family)))
                .replaceWithVoid();
    }

    /**
     * Ends every session and family of the subject: sessions are deleted, families revoked (a family whose code
     * is not redeemed yet is marked, and its code then grants nothing). Returns how many were ended.
     */
    public Uni<Integer> endAll(String subject) {
        String sessionsKey = RedisKeys.subjectSessions(subject);
        String familiesKey = RedisKeys.subjectFamilies(subject);
        return sessions(subject).flatMap(sessions -> families(subject).flatMap(families -> {
            List<Uni<Void>> ends = new java.util.ArrayList<>();
            sessions.forEach(id -> ends.add(deleteSession(id).replaceWithVoid()));
            families.forEach(f -> ends.add(markFamilyEnded(f)));
            ends.add(calls.guard("DEL", redis.key(String.class).del(sessionsKey, familiesKey)).replaceWithVoid());
            return Uni.join().all(ends).andFailFast().replaceWith(sessions.size() + families.size());
        }));
    }

    private Uni<Boolean> deleteSession(String sessionId) {
        return calls.guard("DEL", redis.key(String.class).del(RedisKeys.session(sessionId))).map(n -> n == 1);
    }

    private Uni<Void> markFamilyEnded(String family) {
        String markerTtl = Long.toString(config.lifetimes().code().toMillis() * 2);
        return calls.run(END_FAMILY, redis, List.of(RedisKeys.family(family)), List.of(markerTtl)).replaceWithVoid();
    }
}
