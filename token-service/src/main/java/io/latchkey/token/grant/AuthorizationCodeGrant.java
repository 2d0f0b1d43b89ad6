package io.latchkey.token.grant;

import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.CodeGrant;
import io.latchkey.model.domain.GrantType;
import io.latchkey.model.form.Parameters;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.pkce.Pkce;
import io.latchkey.model.store.AccessTokenRevocations;
import io.latchkey.model.store.CodeStore;
import io.latchkey.model.store.CodeStore.RefreshPolicy;
import io.latchkey.model.store.CodeStore.Redemption;
import io.latchkey.model.store.RefreshTokenStore;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.token.issue.Authorization;
import io.latchkey.token.issue.TokenIssuer;
import io.latchkey.token.metrics.TokenMetrics;
import io.latchkey.token.web.DeclaredParameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * {@code grant_type=authorization_code} with PKCE (RFC 6749 §4.1.3, RFC 7636 §4.5-4.6).
 *
 * <p>The code is redeemed by one atomic script (one Redis round trip): it takes the code, leaves a
 * replay tombstone, compares client_id, redirect_uri and S256(code_verifier) with the grant, and, for
 * a client with the refresh_token grant, starts the refresh family. Any attempt uses the code up.
 */
@ApplicationScoped
public class AuthorizationCodeGrant implements GrantHandler {

    /** RFC 6749 §4.1.3; redirect_uri is required because Latchkey's authorization requests always have it; RFC 7636 §4.5. */
    static final DeclaredParameters PARAMETERS = DeclaredParameters.required("code", "redirect_uri", "code_verifier");

    private final CodeStore codes;
    private final RefreshTokenStore refreshTokens;
    private final AccessTokenRevocations revocations;
    private final TokenIssuer issuer;
    private final LatchkeyConfig config;
    private final TokenMetrics metrics;
    private final GrantAudit audit;

    public AuthorizationCodeGrant(CodeStore codes, RefreshTokenStore refreshTokens, AccessTokenRevocations revocations,
            TokenIssuer issuer, LatchkeyConfig config, TokenMetrics metrics, GrantAudit audit) {
        this.audit = audit;
        this.codes = codes;
        this.refreshTokens = refreshTokens;
        this.revocations = revocations;
        this.issuer = issuer;
        this.config = config;
        this.metrics = metrics;
    }

    @Override
    public GrantType grantType() {
        return GrantType.AUTHORIZATION_CODE;
    }

    @Override
    public DeclaredParameters parameters() {
        return PARAMETERS;
    }

    @Override
    public Uni<TokenResponse> handle(Parameters form, ClientRegistration client, DpopBinding dpop) {
        String code = form.single("code").orElseThrow();
        String redirectUri = form.single("redirect_uri").orElseThrow();
        String codeVerifier = form.single("code_verifier").orElseThrow();
        // RFC 7636 §4.1 syntax before the code is touched: a malformed request does not use the code up.
        Pkce.requireValidVerifier(codeVerifier);

        return codes.redeem(code, client.clientId(), redirectUri, codeVerifier, refreshPolicy(client, dpop), dpop.jkt().orElse(null))
                .invoke(redemption -> metrics.redemption(redemption.outcome()))
                .flatMap(redemption -> switch (redemption.outcome()) {
                    case REDEEMED -> issue(client, code, codeVerifier, redemption, dpop);
                    case UNKNOWN -> Uni.createFrom().failure(OAuthError.INVALID_GRANT.withDescription(
                            "The authorization code is invalid or has expired."));
                    // RFC 6749 §4.1.2: revoke what the code issued. The script has revoked the refresh family
                    // if there is one; this also reaches the access tokens of a grant without one.
                    case REPLAYED -> revocations.revokeFamily(familyOf(code), longestAccessTokenLifetime(client))
                            .invoke(() -> audit.codeReplayed(client, familyOf(code), redemption.grant()))
                            .flatMap(x -> Uni.createFrom().failure(OAuthError.INVALID_GRANT.withDescription(
                                    "The authorization code has already been used.")));
                    // RFC 9449 §10 names no error code; the request's proof is not one of the key the code is bound to.
                    case MISMATCH -> Uni.createFrom().failure("dpop_jkt".equals(redemption.mismatch())
                            ? OAuthError.INVALID_DPOP_PROOF.withDescription(dpop.jkt().isEmpty()
                                    ? "The authorization code is bound to a DPoP key (dpop_jkt); a DPoP proof of that key is required."
                                    : "The DPoP proof's key is not the one the authorization code is bound to (dpop_jkt).")
                            : OAuthError.INVALID_GRANT.withDescription(mismatch(redemption.mismatch())));
                });
    }

    private Uni<TokenResponse> issue(ClientRegistration client, String code, String codeVerifier, Redemption redemption,
            DpopBinding dpop) {
        CodeGrant grant = redemption.grant();
        String family = familyOf(code);
        // The script compared the challenge already; this constant-time check (RFC 7636 §4.6) guards the
        // tokens against any drift between the script and the grant it returned.
        if (!Pkce.matches(codeVerifier, grant.codeChallenge())) {
            return refreshTokens.revokeFamily(family).flatMap(x -> Uni.createFrom().failure(
                    OAuthError.INVALID_GRANT.withDescription(mismatch("code_verifier"))));
        }
        String refreshToken = redemption.refreshToken().map(OpaqueToken::value).orElse(null);
        Authorization authorization = Authorization.fromCode(grant, family).boundTo(dpop.jkt());
        return issuer.issue(client, authorization).map(tokens -> TokenResponse.of(tokens, refreshToken));
    }

    /**
     * Latchkey's rule: a client registered for the refresh_token grant gets a refresh token with every
     * code exchange. Public clients are safe with one because it rotates on each use and its reuse revokes
     * the family (RFC 9700 §4.14.2), or, exchanged with a DPoP proof, because it is bound to the proof's key
     * (RFC 9449 §5). A confidential client's is bound by its authentication instead.
     */
    private RefreshPolicy refreshPolicy(ClientRegistration client, DpopBinding dpop) {
        if (!client.allows(GrantType.REFRESH_TOKEN)) {
            return RefreshPolicy.NONE;
        }
        Duration idle = client.refreshTokenTtl() != null ? client.refreshTokenTtl() : config.lifetimes().refreshTokenIdle();
        RefreshPolicy policy = new RefreshPolicy(true, idle, config.lifetimes().refreshTokenMax());
        return client.isPublic() && dpop.jkt().isPresent() ? policy.boundTo(dpop.jkt().get()) : policy;
    }

    /** A redeemed or replayed code parsed when it was redeemed, so it has the shape of one. */
    private static String familyOf(String code) {
        return OpaqueToken.parse(code).orElseThrow().family();
    }

    /**
     * How long the access tokens of a replayed code can still be alive: the default lifetime, or the
     * presenting client's own when longer. The tombstone does not say which client the code was issued
     * to; replays come from that client's id, since a public client's id is all an attacker needs.
     */
    private Duration longestAccessTokenLifetime(ClientRegistration client) {
        Duration standard = config.lifetimes().accessToken();
        return client.accessTokenTtl() != null && client.accessTokenTtl().compareTo(standard) > 0 ? client.accessTokenTtl() : standard;
    }

    private static String mismatch(String parameter) {
        return switch (parameter) {
            case "client_id" -> "The authorization code was issued to another client.";
            case "redirect_uri" -> "redirect_uri does not match the one of the authorization request.";
            case "code_verifier" -> "code_verifier does not match the code_challenge.";
            default -> "The authorization code does not match the request.";
        };
    }
}
