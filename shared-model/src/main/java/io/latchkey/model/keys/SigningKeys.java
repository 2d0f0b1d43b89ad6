package io.latchkey.model.keys;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.OkpJwkGenerator;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * One loaded key set with private parts, as only token-service holds it: every key is published; the
 * first key of each algorithm signs. Rotation is adding a new key ahead of the old one, and removing the
 * old one once the tokens it signed have expired.
 */
public final class SigningKeys {

    private final List<PublicJsonWebKey> all;
    private final Map<String, PublicJsonWebKey> signingByAlg;
    private final VerificationKeys verification;

    private SigningKeys(List<PublicJsonWebKey> keys) {
        this.all = List.copyOf(keys);
        this.signingByAlg = all.stream().collect(Collectors.toUnmodifiableMap(JsonWebKey::getAlgorithm, Function.identity(),
                (first, later) -> first));
        // Computed once: /jwks is served on every resource server's cache miss.
        this.verification = VerificationKeys.of(all);
    }

    /** Every key needs a kid, an algorithm this provider signs with, and its private part. */
    public static SigningKeys parse(String json, String source) {
        try {
            List<PublicJsonWebKey> keys = new ArrayList<>();
            for (JsonWebKey jwk : new JsonWebKeySet(json).getJsonWebKeys()) {
                if (!(jwk instanceof PublicJsonWebKey key) || key.getPrivateKey() == null) {
                    throw new IllegalStateException(source + ": key " + jwk.getKeyId() + " has no private part");
                }
                if (key.getKeyId() == null || key.getKeyId().isBlank()) {
                    throw new IllegalStateException(source + ": every key needs a \"kid\"");
                }
                if (!VerificationKeys.ALGORITHMS.contains(key.getAlgorithm())) {
                    throw new IllegalStateException(source + ": key " + key.getKeyId()
                            + " needs \"alg\" RS256, ES256 or EdDSA, found " + key.getAlgorithm());
                }
                keys.add(key);
            }
            if (keys.isEmpty()) {
                throw new IllegalStateException(source + ": the JWK set has no keys");
            }
            return new SigningKeys(keys);
        } catch (JoseException e) {
            throw new IllegalStateException(source + " is not a JWK set: " + e.getMessage(), e);
        }
    }

    /** A JWK set with one new key per algorithm, private parts included. */
    public static String generate() {
        try {
            PublicJsonWebKey rsa = RsaJwkGenerator.generateJwk(2048);
            PublicJsonWebKey ec = EcJwkGenerator.generateJwk(EllipticCurves.P256);
            PublicJsonWebKey ed = OkpJwkGenerator.generateJwk("Ed25519");
            label(rsa, "RS256");
            label(ec, "ES256");
            label(ed, "EdDSA");
            return new JsonWebKeySet(rsa, ec, ed).toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE);
        } catch (JoseException e) {
            throw new IllegalStateException("could not generate signing keys", e);
        }
    }

    private static void label(PublicJsonWebKey key, String alg) throws JoseException {
        key.setAlgorithm(alg);
        key.setUse("sig");
        key.setKeyId(key.calculateBase64urlEncodedThumbprint("SHA-256"));
    }

    public List<PublicJsonWebKey> all() {
        return all;
    }

    /** The key that signs tokens of this JWS algorithm (RS256, ES256, EdDSA), if the set has one. */
    public Optional<PublicJsonWebKey> signing(String alg) {
        return Optional.ofNullable(signingByAlg.get(alg));
    }

    /** The public parts, which verify and which /jwks and authorize-service get. */
    public VerificationKeys verification() {
        return verification;
    }

    /** The JWK set with public parts only, as /jwks serves it. */
    public String publicJwks() {
        return verification.json();
    }
}
