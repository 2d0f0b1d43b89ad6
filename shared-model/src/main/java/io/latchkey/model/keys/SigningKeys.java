package io.latchkey.model.keys;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
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
 * One loaded key set with private parts, as only token-service holds it: every key is published. Of each
 * algorithm, the key with the latest {@value #SIGNS_FROM} that has come signs, and among keys without one
 * (they sign "from the start") the first: so a hand-made set signs with its first key of each algorithm, and
 * a key staged with a future {@value #SIGNS_FROM} starts signing on every replica at that instant, with no
 * second write that replicas could see at different times.
 *
 * <p>Two private members carry a key's schedule, in seconds since the epoch (they never reach /jwks):
 * {@value #CREATED}, when the key was made (the age {@code latchkey_signing_key_age_seconds} reports), and
 * {@value #SIGNS_FROM}, when it starts signing.
 */
public final class SigningKeys {

    /** When the key was generated, seconds since the epoch. */
    public static final String CREATED = "lk_created";
    /** From when the key signs, seconds since the epoch; absent: from the start. */
    public static final String SIGNS_FROM = "lk_signs_from";

    private final List<PublicJsonWebKey> all;
    /** Per algorithm, the keys by SIGNS_FROM, latest first (a stable sort: ties keep the set's order). */
    private final Map<String, List<PublicJsonWebKey>> byAlg;
    private final VerificationKeys verification;
    private final String json;

    private SigningKeys(List<PublicJsonWebKey> keys) {
        this.all = List.copyOf(keys);
        this.byAlg = all.stream().sorted(Comparator.comparingLong(SigningKeys::signsFrom).reversed())
                .collect(Collectors.groupingBy(JsonWebKey::getAlgorithm, Collectors.toUnmodifiableList()));
        // Computed once: /jwks is served on every resource server's cache miss.
        this.verification = VerificationKeys.of(all);
        this.json = write(all);
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

    /** A JWK set with one new key per algorithm, private parts included, stamped with {@value #CREATED}. */
    public static String generate() {
        long now = System.currentTimeMillis() / 1000;
        return write(VerificationKeys.ALGORITHMS.stream().map(alg -> generate(alg, now)).toList());
    }

    /** A new key of this algorithm (RS256, ES256 or EdDSA), created at {@code createdSeconds}. */
    public static PublicJsonWebKey generate(String alg, long createdSeconds) {
        try {
            PublicJsonWebKey key = switch (alg) {
                case "RS256" -> RsaJwkGenerator.generateJwk(2048);
                case "ES256" -> EcJwkGenerator.generateJwk(EllipticCurves.P256);
                case "EdDSA" -> OkpJwkGenerator.generateJwk("Ed25519");
                default -> throw new IllegalArgumentException("no signing algorithm " + alg);
            };
            key.setAlgorithm(alg);
            key.setUse("sig");
            key.setKeyId(key.calculateBase64urlEncodedThumbprint("SHA-256"));
            key.setOtherParameter(CREATED, createdSeconds);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException("could not generate a signing key", e);
        }
    }

    /** A JWK set of these keys, private parts and schedule included. */
    public static String write(List<PublicJsonWebKey> keys) {
        return new JsonWebKeySet(keys.stream().map(k -> (JsonWebKey) k).toList()).toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE);
    }

    /** {@value #CREATED} of a key, when it has one. */
    public static OptionalLong created(JsonWebKey key) {
        Number created = key.getOtherParameterValue(CREATED, Number.class);
        return created == null ? OptionalLong.empty() : OptionalLong.of(created.longValue());
    }

    /** {@value #SIGNS_FROM} of a key; 0 (the start) when it has none. */
    public static long signsFrom(JsonWebKey key) {
        Number from = key.getOtherParameterValue(SIGNS_FROM, Number.class);
        return from == null ? 0 : from.longValue();
    }

    public List<PublicJsonWebKey> all() {
        return all;
    }

    /** The key that signs tokens of this JWS algorithm (RS256, ES256, EdDSA) now, if the set has one. */
    public Optional<PublicJsonWebKey> signing(String alg) {
        return signing(alg, System.currentTimeMillis());
    }

    /** The key that signs tokens of this algorithm at this instant (ms since the epoch). */
    public Optional<PublicJsonWebKey> signing(String alg, long atMillis) {
        for (PublicJsonWebKey key : byAlg.getOrDefault(alg, List.of())) {
            if (signsFrom(key) * 1000 <= atMillis) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    /** The keys of one algorithm, latest {@value #SIGNS_FROM} first. */
    public List<PublicJsonWebKey> ofAlgorithm(String alg) {
        return byAlg.getOrDefault(alg, List.of());
    }

    /** The whole set with private parts, as stored. */
    public String json() {
        return json;
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
