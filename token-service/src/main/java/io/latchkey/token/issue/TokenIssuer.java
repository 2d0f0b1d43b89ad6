package io.latchkey.token.issue;

import io.latchkey.model.authn.Acr;
import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.dpop.Dpop;
import io.latchkey.model.keys.SigningKeys;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import io.latchkey.model.token.AccessTokenRules;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.token.keys.KeyRing;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwx.HeaderParameterNames;
import org.jose4j.lang.JoseException;

/**
 * Builds and signs the access token (a JWT per RFC 9068) and the ID token (OIDC Core §2, §3.1.3.6) of a
 * token response, with the key of the algorithm the client is registered for (RS256 unless it chose
 * ES256 or EdDSA).
 *
 * <p>Signing runs on a worker thread: an RS256 signature costs about 0.3 ms of CPU with ACCP (a
 * millisecond with the JDK's providers, see SigningProvider) and an exchange makes two, which an event
 * loop serving thousands of connections must not spend.
 */
@ApplicationScoped
public class TokenIssuer {


    private final KeyRing keyRing;
    private final LatchkeyConfig config;
    private final String audience;
    private final SigningProvider provider;

    public TokenIssuer(KeyRing keyRing, LatchkeyConfig config, SigningProvider provider) {
        this.keyRing = keyRing;
        this.provider = provider;
        this.config = config;
        this.audience = config.accessTokenAudience();
    }

    /** The aud every access token carries, which /userinfo and /introspect expect. */
    public String audience() {
        return audience;
    }

    public Uni<IssuedTokens> issue(ClientRegistration client, Authorization authorization) {
        return keyRing.keys().flatMap(keys -> {
            Uni<IssuedTokens> signed = Uni.createFrom().item(() -> sign(keys, client, authorization));
            return provider.signsOnEventLoop(client.signingAlg()) ? signed : signed.runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        });
    }

    private IssuedTokens sign(SigningKeys keys, ClientRegistration client, Authorization authorization) {
        String alg = client.signingAlg();
        PublicJsonWebKey key = keys.signing(alg).orElseThrow(() -> new OAuthException(OAuthError.SERVER_ERROR,
                "The server cannot sign tokens for this client.",
                new IllegalStateException("no signing key for " + alg + " (client " + client.clientId() + ")")));
        long now = System.currentTimeMillis() / 1000;
        Duration accessTtl = client.accessTokenTtl() != null ? client.accessTokenTtl() : config.lifetimes().accessToken();

        Map<String, Object> access = new LinkedHashMap<>();
        access.put("iss", config.issuer());
        access.put("sub", authorization.subject());
        access.put("aud", audience);
        access.put("client_id", client.clientId());
        access.put("scope", authorization.scope());
        access.put("iat", now);
        access.put("exp", now + accessTtl.toSeconds());
        access.put("jti", OpaqueToken.randomId(16));
        if (authorization.authTime() != null) {
            access.put("auth_time", authorization.authTime());
        }
        if (authorization.family() != null) {
            access.put(AccessTokenRules.FAMILY_CLAIM, authorization.family());
        }
        if (authorization.dpopJkt() != null) {
            // RFC 9449 §6.1 (RFC 7800 cnf): only a proof of this key makes the token usable.
            access.put("cnf", Map.of("jkt", authorization.dpopJkt()));
        }
        String accessToken = sign(access, key, AccessTokenRules.TYPE);

        String idToken = null;
        if (authorization.idToken()) {
            Map<String, Object> id = new LinkedHashMap<>();
            id.put("iss", config.issuer());
            id.put("sub", authorization.subject());
            id.put("aud", client.clientId());
            // OIDC Core §2: azp is the party the token was issued to; with one audience it equals aud.
            id.put("azp", client.clientId());
            id.put("iat", now);
            id.put("exp", now + config.lifetimes().idToken().toSeconds());
            if (authorization.authTime() != null) {
                id.put("auth_time", authorization.authTime());
            }
            if (authorization.nonce() != null && !authorization.nonce().isEmpty()) {
                id.put("nonce", authorization.nonce());
            }
            if (authorization.sessionId() != null) {
                id.put("sid", authorization.sessionId());
            }
            if (!authorization.amr().isEmpty()) {
                id.put("amr", authorization.amr());
                // OIDC Core §2: the class follows from the methods used, so acr and amr never disagree.
                id.put("acr", Acr.of(authorization.amr()));
            }
            id.put("at_hash", tokenHash(accessToken, alg));
            idToken = sign(id, key, "JWT");
        }
        return new IssuedTokens(accessToken, accessTtl.toSeconds(), idToken, authorization.scope(),
                authorization.dpopJkt() != null ? Dpop.TOKEN_TYPE : "Bearer");
    }

    /**
     * Signs with jose4j, the library SmallRye JWT signs with, called directly: SmallRye's builder reads
     * its smallrye.jwt.new-token.* settings from MicroProfile Config on every token, which the bench's
     * profile showed as a third of the Java time spent signing.
     */
    static String sign(Map<String, Object> claims, PublicJsonWebKey key, String type) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(key.getAlgorithm());
        jws.setHeader(HeaderParameterNames.TYPE, type);
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setPayload(JsonUtil.toJson(claims));
        jws.setKey(key.getPrivateKey());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign with key " + key.getKeyId() + ": " + e.getMessage(), e);
        }
    }

    /**
     * OIDC Core §3.1.3.6 at_hash: BASE64URL of the left half of the hash of the access token's ASCII
     * octets, with the hash of the JWS algorithm: SHA-256 for RS256 and ES256; SHA-512 for EdDSA with
     * Ed25519, as OpenID Connect Core errata set 2 specifies.
     */
    public static String tokenHash(String token, String jwsAlg) {
        String digest = "EdDSA".equals(jwsAlg) ? "SHA-512" : "SHA-256";
        try {
            byte[] hash = MessageDigest.getInstance(digest).digest(token.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, hash.length / 2));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(digest + " is required of every Java platform", e);
        }
    }
}
