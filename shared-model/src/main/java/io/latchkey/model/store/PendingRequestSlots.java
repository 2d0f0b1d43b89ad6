package io.latchkey.model.store;

import io.latchkey.model.config.LatchkeyConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Bounds the pending authorization requests one client address can make Redis hold: each stored request
 * takes a slot ({@link RedisKeys#pendingRequestSlots}) until it is answered, or for the request lifetime when
 * abandoned, and an address whose slots are all held cannot store another. Without it a storm of abandoned
 * requests was bounded only by the TTL; releasing answered ones keeps a busy network (many people behind one
 * address) from being refused for signing in.
 */
@ApplicationScoped
public class PendingRequestSlots {

    private static final RedisScript TAKE = RedisScript.load("pending-request-slot.lua");

    private final ReactiveRedisDataSource redis;
    private final RedisCalls calls;
    private final LatchkeyConfig config;

    public PendingRequestSlots(ReactiveRedisDataSource redis, RedisCalls calls, LatchkeyConfig config) {
        this.redis = redis;
        this.calls = calls;
        this.config = config;
    }

    /** True when {@code clientAddress} had a free slot, now taken by {@code requestId}. */
    public Uni<Boolean> take(String clientAddress, String requestId, int slotsPerAddress) {
        List<String> args = List.of(Long.toString(System.currentTimeMillis()),
                Long.toString(config.lifetimes().request().toMillis()), Integer.toString(slotsPerAddress), requestId);
        return calls.run(TAKE, redis, List.of(RedisKeys.pendingRequestSlots(clientAddress)), args)
                .map(reply -> reply.toInteger() == 1);
    }

    /** Frees the slot of an answered request. */
    public Uni<Void> release(String clientAddress, String requestId) {
        return calls.guard("ZREM", redis.sortedSet(String.class).zrem(RedisKeys.pendingRequestSlots(clientAddress), requestId))
                .replaceWithVoid();
    }
}
