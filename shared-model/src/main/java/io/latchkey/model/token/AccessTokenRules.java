package io.latchkey.model.token;

import io.latchkey.model.keys.VerificationKeys;
import io.latchkey.model.oauth.SpaceDelimited;
import java.util.Optional;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/**
 * What makes one of Latchkey's access tokens (RFC 9068): typ {@code at+jwt}, our issuer and audience, an expiry,
 * a subject and a jti, signed with one of our algorithms. token-service issues and checks them with its own keys;
 * admin-service checks them with the keys token-service publishes. Both read them through here, so a resource
 * that accepts a token accepts exactly what the other would.
 */
public final class AccessTokenRules {

    /** RFC 9068 §2.1: the media type of a JWT access token, in the typ header. */
    public static final String TYPE = "at+jwt";
    /** The grant family of an access token: revoking the family revokes the token (see AccessTokenRevocations). */
    public static final String FAMILY_CLAIM = "fam";

    private static final int CLOCK_SKEW_SECONDS = 30;

    private AccessTokenRules() {
    }

    /** A consumer builder with every check but the key, which the caller sets. */
    public static JwtConsumerBuilder consumer(String issuer, String audience) {
        return new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(VerificationKeys.CONSTRAINTS)
                .setExpectedType(true, TYPE)
                .setExpectedIssuer(issuer)
                .setExpectedAudience(audience)
                .setRequireExpirationTime()
                .setRequireSubject()
                .setRequireJwtId()
                .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS);
    }

    /** The token the consumer accepted. */
    public static AccessToken read(JwtClaims claims) throws MalformedClaimException {
        return new AccessToken(claims.getJwtId(), claims.getSubject(), claims.getStringClaimValue("client_id"),
                SpaceDelimited.split(claims.getStringClaimValue("scope")),
                claims.getIssuedAt() == null ? 0 : claims.getIssuedAt().getValue(), claims.getExpirationTime().getValue(),
                Optional.ofNullable(claims.getStringClaimValue(FAMILY_CLAIM)), claims.getClaimsMap());
    }
}
