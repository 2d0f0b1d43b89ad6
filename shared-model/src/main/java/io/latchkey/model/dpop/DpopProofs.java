package io.latchkey.model.dpop;

import io.latchkey.model.store.RedisCalls;
import io.latchkey.model.store.RedisKeys;
import io.latchkey.model.token.OpaqueToken;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Verifies the DPoP proof of a request (RFC 9449 §4.3), for any endpoint of either service: the proof's own checks
 * ({@link DpopProofCheck}), the server nonce where one is required (§8), then single use (§11.1): the first proof
 * with a key and {@code jti} is remembered in Redis ({@link RedisKeys#dpopProof}, SET NX with a time to live of the
 * proof lifetime and the clock skew, one round trip) and any later one is refused. The nonce is checked before the
 * jti is written, so a {@code use_dpop_nonce} answer costs no write.
 */
@ApplicationScoped
public class DpopProofs {

    private final ReactiveRedisDataSource redis;
    private final RedisCalls calls;
    private final DpopNonces nonces;
    private final DpopConfig config;

    public DpopProofs(ReactiveRedisDataSource redis, RedisCalls calls, DpopNonces nonces, DpopConfig config) {
        this.redis = redis;
        this.calls = calls;
        this.nonces = nonces;
        this.config = config;
    }

    /**
     * The verified proof of a request, or empty when it has none.
     *
     * @param proofHeaders  every {@code DPoP} header of the request; more than one is refused (§4.3 step 1)
     * @param accessToken   the access token presented with it at a protected resource (its hash is {@code ath});
     *                      null where none is (the token endpoint)
     * @param nonceRequired whether the proof must carry this server's current nonce
     * @return fails with {@link DpopException}: invalid_dpop_proof, or use_dpop_nonce with the nonce to use
     */
    public Uni<Optional<DpopProof>> verify(List<String> proofHeaders, DpopTarget target, String accessToken, boolean nonceRequired) {
        if (proofHeaders == null || proofHeaders.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return Uni.createFrom().deferred(() -> {
            if (proofHeaders.size() > 1) {
                throw DpopException.invalid("Send one DPoP header, not " + proofHeaders.size() + ".");
            }
            DpopProof proof = DpopProofCheck.check(proofHeaders.get(0), target, accessToken, System.currentTimeMillis() / 1000,
                    config.proofLifetime().toSeconds(), config.clockSkew().toSeconds());
            Uni<Void> nonce = nonceRequired ? checkNonce(proof) : Uni.createFrom().voidItem();
            return nonce.flatMap(x -> useOnce(proof)).map(Optional::of);
        });
    }

    /** The nonce to send in {@code DPoP-Nonce} (RFC 9449 §8.2: also with a successful answer). */
    public Uni<String> nonce() {
        return nonces.current();
    }

    private Uni<Void> checkNonce(DpopProof proof) {
        Uni<Boolean> accepted = proof.nonce().map(nonces::accepts).orElseGet(() -> Uni.createFrom().item(false));
        return accepted.flatMap(ok -> ok ? Uni.createFrom().voidItem() : nonces.current().flatMap(current ->
                Uni.createFrom().<Void>failure(DpopException.useNonce(current, proof.nonce().isEmpty()
                        ? "A DPoP nonce is required; retry with the one in DPoP-Nonce."
                        : "The DPoP nonce is stale; retry with the one in DPoP-Nonce."))));
    }

    private Uni<DpopProof> useOnce(DpopProof proof) {
        long ttl = config.proofLifetime().plus(config.clockSkew()).toMillis();
        return calls.guard("SET", redis.execute("SET", RedisKeys.dpopProof(proofHash(proof)), "1", "NX", "PX", Long.toString(ttl)))
                .map(reply -> {
                    if (reply == null) {
                        throw DpopException.invalid("The DPoP proof has already been used.");
                    }
                    return proof;
                });
    }

    /** SHA-256 of the key thumbprint (fixed length) and the jti: the jti is the client's, the key name ours. */
    private static String proofHash(DpopProof proof) {
        return OpaqueToken.sha256(proof.jkt() + proof.jti());
    }
}
