package io.latchkey.model.dpop;

import io.latchkey.model.store.RedisCalls;
import io.latchkey.model.store.RedisKeys;
import io.latchkey.model.store.StoreException;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Server nonces of RFC 9449 §8, kept nowhere: a nonce is HMAC-SHA256, under a secret every replica shares, of the
 * number of the time slot it was made in ({@code latchkey.dpop.nonce-slot}), so every replica makes the same nonce
 * in a slot and accepts it there and in the next one. It cannot be predicted without the secret (§8: unpredictable),
 * and changes with every slot, which bounds how far ahead a proof can be made (§11.2).
 *
 * <p>The secret is 32 random bytes in Redis ({@link RedisKeys#dpopNonceSecret()}), made by whichever replica needs it
 * first (SET NX, so all agree), read on first use and again every {@code latchkey.dpop.nonce-secret-refresh} while
 * in use (in the background, the request goes on with the secret it has): after a Redis flush the replicas agree on
 * the new secret within that time, and a client meanwhile just retries with the nonce it is given.
 */
@ApplicationScoped
public class DpopNonces {

    private static final Logger LOG = Logger.getLogger(DpopNonces.class);
    private static final int SECRET_BYTES = 32;
    private static final byte[] LABEL = "latchkey dpop nonce".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Secret(byte[] key, long readAtMillis) {
    }

    private final ReactiveValueCommands<String, String> values;
    private final RedisCalls calls;
    private final DpopConfig config;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile Secret secret;
    /** The nonces of the slot last asked about: a slot lasts minutes, so each is computed once, not per request. */
    private volatile SlotNonces slotNonces;

    public DpopNonces(ReactiveRedisDataSource redis, RedisCalls calls, DpopConfig config) {
        this.values = redis.value(String.class);
        this.calls = calls;
        this.config = config;
    }

    /** The nonce of the current slot, to send in {@code DPoP-Nonce}. */
    public Uni<String> current() {
        long now = System.currentTimeMillis();
        return secret(now).map(key -> nonces(key, slot(now)).current());
    }

    /** Whether a proof's nonce is this slot's or the previous one's. */
    public Uni<Boolean> accepts(String nonce) {
        long now = System.currentTimeMillis();
        return secret(now).map(key -> accepts(key, nonce, now));
    }

    boolean accepts(byte[] key, String nonce, long nowMillis) {
        byte[] presented = nonce.getBytes(StandardCharsets.US_ASCII);
        SlotNonces known = nonces(key, slot(nowMillis));
        // Both compared, in constant time: which one matched is no secret, but there is no reason to tell.
        boolean current = MessageDigest.isEqual(presented, known.current().getBytes(StandardCharsets.US_ASCII));
        boolean previous = MessageDigest.isEqual(presented, known.previous().getBytes(StandardCharsets.US_ASCII));
        return current | previous;
    }

    private record SlotNonces(byte[] key, long slot, String current, String previous) {
    }

    /** The nonces of this slot and the one before, under this secret; recomputed when either changes. */
    private SlotNonces nonces(byte[] key, long slot) {
        SlotNonces known = slotNonces;
        if (known != null && known.key() == key && known.slot() == slot) {
            return known;
        }
        SlotNonces fresh = new SlotNonces(key, slot, nonce(key, slot), nonce(key, slot - 1));
        slotNonces = fresh;
        return fresh;
    }

    long slot(long nowMillis) {
        return Math.floorDiv(nowMillis, config.nonceSlot().toMillis());
    }

    /** BASE64URL(HMAC-SHA256(secret, label || slot)): 43 characters of the RFC 9449 §8.1 nonce syntax. */
    static String nonce(byte[] key, long slot) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(LABEL);
            mac.update(ByteBuffer.allocate(Long.BYTES).putLong(slot).array());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    }

    Uni<byte[]> secret(long nowMillis) {
        Secret known = secret;
        if (known == null) {
            return load();
        }
        if (nowMillis - known.readAtMillis() >= config.nonceSecretRefresh().toMillis() && refreshing.compareAndSet(false, true)) {
            load().onTermination().invoke(() -> refreshing.set(false)).subscribe().with(
                    key -> { }, e -> LOG.debugf("DPoP nonce secret refresh failed: %s", e.getMessage()));
        }
        return Uni.createFrom().item(known.key());
    }

    /** Reads the shared secret, making it first if there is none; the first replica to SET NX decides it. */
    private Uni<byte[]> load() {
        String name = RedisKeys.dpopNonceSecret();
        return calls.guard("GET", values.get(name))
                .flatMap(stored -> stored != null ? Uni.createFrom().item(stored)
                        : calls.guard("SETNX", values.setnx(name, newSecret())).flatMap(x -> calls.guard("GET", values.get(name))))
                .map(stored -> {
                    byte[] key = decode(name, stored);
                    secret = new Secret(key, System.currentTimeMillis());
                    return key;
                });
    }

    private static String newSecret() {
        byte[] key = new byte[SECRET_BYTES];
        RANDOM.nextBytes(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    private static byte[] decode(String name, String stored) {
        try {
            byte[] key = stored == null ? new byte[0] : Base64.getUrlDecoder().decode(stored);
            if (key.length < SECRET_BYTES) {
                throw new IllegalArgumentException("a secret of " + key.length + " bytes");
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw StoreException.corrupt(name, e);
        }
    }
}
