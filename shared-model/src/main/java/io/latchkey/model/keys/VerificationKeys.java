package io.latchkey.model.keys;

import java.security.Key;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Public keys that verify our signatures, by {@code kid}: what /jwks serves and what authorize-service
 * checks an id_token_hint with. Holds no private part: {@link #parse} refuses a set that has one.
 */
public final class VerificationKeys {

    /** The JWS algorithms Latchkey signs with. */
    public static final List<String> ALGORITHMS = List.of("RS256", "ES256", "EdDSA");
    /** A JWS check that permits those algorithms only ({@code alg: none} and HMAC refused). */
    public static final AlgorithmConstraints CONSTRAINTS =
            new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, ALGORITHMS.toArray(String[]::new));

    /** JWK members of private keys (RFC 7518 §6.2.2, §6.3.2; RFC 8037 §2). */
    private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    private static final VerificationKeys NONE = new VerificationKeys(Map.of(), "{\"keys\":[]}");

    private final Map<String, PublicJsonWebKey> byKid;
    private final String json;

    private VerificationKeys(Map<String, PublicJsonWebKey> byKid, String json) {
        this.byKid = byKid;
        this.json = json;
    }

    public static VerificationKeys none() {
        return NONE;
    }

    /** From a JWK set of public keys, each with a kid and one of {@link #ALGORITHMS}. */
    public static VerificationKeys parse(String json, String source) {
        try {
            Map<String, PublicJsonWebKey> byKid = new LinkedHashMap<>();
            for (JsonWebKey jwk : new JsonWebKeySet(json).getJsonWebKeys()) {
                Map<String, Object> members = jwk.toParams(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE);
                if (!(jwk instanceof PublicJsonWebKey key) || members.keySet().stream().anyMatch(PRIVATE_MEMBERS::contains)) {
                    throw new IllegalStateException(source + ": key " + jwk.getKeyId() + " is not a public key only");
                }
                if (key.getKeyId() == null || key.getKeyId().isBlank() || !ALGORITHMS.contains(key.getAlgorithm())) {
                    throw new IllegalStateException(source + ": every key needs a \"kid\" and \"alg\" RS256, ES256 or EdDSA");
                }
                byKid.put(key.getKeyId(), key);
            }
            return new VerificationKeys(Collections.unmodifiableMap(byKid), json);
        } catch (JoseException e) {
            throw new IllegalStateException(source + " is not a JWK set: " + e.getMessage(), e);
        }
    }

    /** Public parts of {@code keys}, in their order. */
    static VerificationKeys of(List<PublicJsonWebKey> keys) {
        // The schedule members (SigningKeys.CREATED, SIGNS_FROM) are the provider's business, not a verifier's.
        List<Map<String, Object>> members = keys.stream().map(k -> {
            Map<String, Object> params = new LinkedHashMap<>(k.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
            params.remove(SigningKeys.CREATED);
            params.remove(SigningKeys.SIGNS_FROM);
            return params;
        }).toList();
        return parse(JsonUtil.toJson(Map.of("keys", members)), "signing keys");
    }

    /**
     * The key that verifies a JWS naming {@code kid} and {@code alg}: present only when the key is ours
     * and {@code alg} is the one algorithm it is for. Anything else is an algorithm-confusion attempt
     * (RFC 8725 §2.1, §3.1: {@code none}, HS256 keyed with a public key, an RSA key used as PS256...).
     */
    public Optional<Key> verifying(String kid, String alg) {
        PublicJsonWebKey key = kid == null ? null : byKid.get(kid);
        return key != null && key.getAlgorithm().equals(alg) ? Optional.of(key.getPublicKey()) : Optional.empty();
    }

    /** {@link #verifying} for jose4j's JwtConsumer. */
    public VerificationKeyResolver resolver() {
        return (jws, nested) -> verifying(jws.getKeyIdHeaderValue(), jws.getAlgorithmHeaderValue())
                .orElseThrow(() -> new UnresolvableKeyException("not signed by a key of this provider with its algorithm"));
    }

    public boolean has(String kid) {
        return kid != null && byKid.containsKey(kid);
    }

    public Set<String> kids() {
        return byKid.keySet();
    }

    /** The JWK set, public members only, as /jwks serves it. */
    public String json() {
        return json;
    }
}
