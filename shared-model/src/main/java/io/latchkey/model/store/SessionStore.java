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
    private static final RedisScript READ = RedisScript.load("read-session.lua");
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

    /** A live session changed in place, within the lifetime it has left. */
    public Uni<Void> replace(SsoSession session) {
        return records.replace(RedisKeys.session(session.id()), CODEC, session);
    }

    /** The live session with this id, its idle lifetime renewed; empty when there is none. */
    public Uni<Optional<SsoSession>> touch(String sessionId) {
        String key = RedisKeys.session(sessionId);
        List<String> args = List.of(
                Long.toString(config.lifetimes().sessionIdle().toMillis()),
                Long.toString(config.lifetimes().sessionMax().toMillis()),
                Long.toString(System.currentTimeMillis()));
        return calls.run(TOUCH, redis, List.of(key), args)
                .map(reply -> Optional.ofNullable(reply).map(r -> CODEC.read(key, r.toString())));
    }

    /** A live session as a report shows it: the session and when it ends if it is not used again. */
    public record Stored(SsoSession session, long idleExpiresAtMillis) {
    }

    /** The live session with this id, read without renewing it (an administrator's view); empty when there is none. */
    public Uni<Optional<Stored>> peek(String sessionId) {
        String key = RedisKeys.session(sessionId);
        return calls.run(READ, redis, List.of(key), List.of()).map(reply -> {
            if (reply == null) {
                return Optional.<Stored>empty();
            }
            long left = reply.get(1).toLong();
            return Optional.of(new Stored(CODEC.read(key, reply.get(0).toString()), System.currentTimeMillis() + Math.max(0, left)));
        });
    }

    /** The live session with this id, as it is: its idle lifetime is not renewed. */
    public Uni<Optional<SsoSession>> find(String sessionId) {
        return peek(sessionId).map(stored -> stored.map(Stored::session));
    }

    public Uni<Boolean> delete(String sessionId) {
        return records.delete(RedisKeys.session(sessionId));
    }
}
