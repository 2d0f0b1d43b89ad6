package io.latchkey.model.keys;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * One loaded key set: every key is published; the first key of each algorithm signs. Rotation is adding
 * a new key ahead of the old one, and removing the old one once the tokens it signed have expired.
 */
public final class SigningKeys {

    private final List<PublicJsonWebKey> all;
    private final Map<String, PublicJsonWebKey> byKid;
    private final Map<String, PublicJsonWebKey> signingByAlg;
    private final String publicJwks;

    SigningKeys(List<PublicJsonWebKey> keys) {
        this.all = List.copyOf(keys);
        this.byKid = all.stream().collect(Collectors.toUnmodifiableMap(JsonWebKey::getKeyId, Function.identity()));
        this.signingByAlg = all.stream().collect(Collectors.toUnmodifiableMap(JsonWebKey::getAlgorithm, Function.identity(),
                (first, later) -> first));
        // Computed once: /jwks is served on every resource server's cache miss.
        this.publicJwks = new JsonWebKeySet(all.stream().map(k -> (JsonWebKey) k).toList())
                .toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    public List<PublicJsonWebKey> all() {
        return all;
    }

    public Optional<PublicJsonWebKey> byKid(String kid) {
        return kid == null ? Optional.empty() : Optional.ofNullable(byKid.get(kid));
    }

    /** The key that signs tokens of this JWS algorithm (RS256, ES256, EdDSA), if the set has one. */
    public Optional<PublicJsonWebKey> signing(String alg) {
        return Optional.ofNullable(signingByAlg.get(alg));
    }

    /** The JWK set with public parts only, as /jwks serves it. */
    public String publicJwks() {
        return publicJwks;
    }
}
