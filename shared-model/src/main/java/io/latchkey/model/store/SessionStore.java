package io.latchkey.model.store;

import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.domain.SsoSession;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * SSO sessions. The idle lifetime slides each time the session is used; the absolute lifetime, counted
 * from creation, does not.
 */
@ApplicationScoped
public class SessionStore {

    private static final RedisScript TOUCH = RedisScript.load("touch-session.lua");
    private static final RecordCodec<SsoSession> CODEC = new RecordCodec<>(SsoSession.class, SsoSession.VERSION);

    private final ReactiveRedisDataSource redis;
    private final JsonRecords records;
    private final RedisCalls calls;
    private final SubjectGrants subjects;
    private final LatchkeyConfig config;

    public SessionStore(ReactiveRedisDataSource redis, JsonRecords records, RedisCalls calls, SubjectGrants subjects,
            LatchkeyConfig config) {
        this.redis = redis;
        this.subjects = subjects;
        this.records = records;
        this.calls = calls;
        this.config = config;
    }

    public Uni<Void> save(SsoSession session) {
        return Uni.combine().all()
                .unis(records.put(RedisKeys.session(session.id()), CODEC, session, config.lifetimes().sessionIdle()),
                        subjects.addSession(session.subject(), session.id()))
                .discardItems();
    }

    /** The live session with this id, its idle lifetime renewed; empty when there is none. */
    public Uni<Optional<SsoSession>> touch(String sessionId) {
        String key = RedisKeys.session(sessionId);
        List<String> args = List.of(
                Long.toString(config.lifetimes().sessionIdle().toMillis()),
                Long.toString(config.lifetimes().sessionMax().toMillis()),
                Long.toString(System.currentTimeMillis()));
        return calls.guard(TOUCH.run(redis, List.of(key), args))
                .map(reply -> Optional.ofNullable(reply).map(r -> CODEC.read(key, r.toString())));
    }

    /** The live session with this id, as it is: its idle lifetime is not renewed. */
    public Uni<Optional<SsoSession>> find(String sessionId) {
        return records.get(RedisKeys.session(sessionId), CODEC);
    }

    public Uni<Boolean> delete(String sessionId) {
        return records.delete(RedisKeys.session(sessionId));
    }
}
