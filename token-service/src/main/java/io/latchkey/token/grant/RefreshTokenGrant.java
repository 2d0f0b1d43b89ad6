package io.latchkey.token.grant;

import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.GrantType;
import io.latchkey.model.form.Parameters;
import io.latchkey.model.domain.RefreshGrant;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.store.RefreshTokenStore;
import io.latchkey.model.store.RefreshTokenStore.Rotation;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.token.issue.Authorization;
import io.latchkey.token.issue.TokenIssuer;
import io.latchkey.token.web.DeclaredParameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code grant_type=refresh_token} (RFC 6749 §6) with rotation on every use (RFC 9700 §4.14.2): the
 * presented token is exchanged atomically for a new one of the same family; a rotated token presented
 * again revokes the whole family. The idle lifetime slides with each rotation; the family's absolute
 * lifetime, counted from the code exchange, does not. A client with a reuse grace (at most 10 s) that presents a
 * rotated token again within it gets the same successor, with fresh access and ID tokens, while that successor is
 * still current: an SPA refreshing from several tabs at once stays signed in.
 *
 * <p>A public client's family started (or refreshed) with a DPoP proof is bound to the proof's key (RFC 9449 §5):
 * it is refreshed only with a proof of that key, and, sender-constrained, it is not rotated (RFC 9700 §4.14.2): the
 * answer carries the presented token again, so tabs that refresh at once all succeed without a grace.
 */
@ApplicationScoped
public class RefreshTokenGrant implements GrantHandler {

    /** RFC 6749 §6. */
    static final DeclaredParameters PARAMETERS = DeclaredParameters.required("refresh_token").andOptional("scope");

    private static final String INVALID = "The refresh token is invalid, expired or revoked.";

    private final RefreshTokenStore refreshTokens;
    private final TokenIssuer issuer;
    private final LatchkeyConfig config;
    private final GrantAudit audit;

    public RefreshTokenGrant(RefreshTokenStore refreshTokens, TokenIssuer issuer, LatchkeyConfig config, GrantAudit audit) {
        this.audit = audit;
        this.refreshTokens = refreshTokens;
        this.issuer = issuer;
        this.config = config;
    }

    @Override
    public GrantType grantType() {
        return GrantType.REFRESH_TOKEN;
    }

    @Override
    public DeclaredParameters parameters() {
        return PARAMETERS;
    }

    @Override
    public Uni<TokenResponse> handle(Parameters form, ClientRegistration client, DpopBinding dpop) {
        String refreshToken = form.single("refresh_token").orElseThrow();
        Optional<String> scope = form.single("scope");
        Duration idle = client.refreshTokenTtl() != null ? client.refreshTokenTtl() : config.lifetimes().refreshTokenIdle();
        // A narrower scope is checked before rotating: a refused request must not cost the client its token.
        Uni<Void> scopeCheck = scope.isEmpty() ? Uni.createFrom().voidItem() : refreshTokens.find(refreshToken)
                .invoke(grant -> grant.filter(g -> g.clientId().equals(client.clientId()))
                        .ifPresent(g -> narrowed(scope, g)))
                .replaceWithVoid();
        return scopeCheck
                // A confidential client's refresh tokens are bound by its authentication, never to a key (RFC 9449 §5).
                .flatMap(x -> refreshTokens.rotate(refreshToken, client.clientId(), idle,
                        client.isPublic() ? dpop.jkt().orElse(null) : null, client.refreshReuseGrace()))
                .invoke(rotation -> {
                    if (rotation.outcome() == Rotation.Outcome.REUSED) {
                        audit.refreshReused(client, OpaqueToken.parse(refreshToken).orElseThrow().family(),
                                rotation.grant() == null ? null : rotation.grant().origin());
                    } else if (rotation.outcome() == Rotation.Outcome.REPEATED_IN_GRACE) {
                        audit.refreshRepeatedInGrace(client, rotation.grant().family(), rotation.grant().origin());
                    }
                })
                .flatMap(rotation -> switch (rotation.outcome()) {
                    // Within the grace the successor is the one the first presentation got; nothing was revoked.
                    case ROTATED, KEPT, REPEATED_IN_GRACE -> issue(client, scope, rotation, dpop);
                    case UNKNOWN, REVOKED -> Uni.createFrom().failure(OAuthError.INVALID_GRANT.withDescription(INVALID));
                    // RFC 9700 §4.14.2: the script has revoked the family; every token of it is dead now.
                    case REUSED -> Uni.createFrom().failure(OAuthError.INVALID_GRANT.withDescription(
                            "The refresh token has already been used; the grant is revoked."));
                    // RFC 6749 §6: bound to the client it was issued to.
                    case WRONG_CLIENT -> Uni.createFrom().failure(OAuthError.INVALID_GRANT.withDescription(
                            "The refresh token was issued to another client."));
                    // RFC 9449 §5: nothing changed; the holder of the key can still refresh.
                    case WRONG_KEY -> Uni.createFrom().failure(OAuthError.INVALID_DPOP_PROOF.withDescription(dpop.jkt().isEmpty()
                            ? "The refresh token is bound to a DPoP key; a DPoP proof of that key is required."
                            : "The DPoP proof's key is not the one the refresh token is bound to."));
                });
    }

    private Uni<TokenResponse> issue(ClientRegistration client, Optional<String> scope, Rotation rotation, DpopBinding dpop) {
        RefreshGrant grant = rotation.grant();
        List<String> scopes = narrowed(scope, grant);
        // No directory lookup: disabling or deleting a user revokes their families in Redis (SubjectGrants), so
        // a family that rotated is the user's standing, and refresh keeps working while PostgreSQL is down.
        return issuer.issue(client, Authorization.fromRefresh(grant, scopes).boundTo(dpop.jkt()))
                .map(tokens -> TokenResponse.of(tokens, rotation.newToken().value()));
    }

    /** RFC 6749 §6: the scope may only narrow; the refresh token keeps the original one. */
    private static List<String> narrowed(Optional<String> scope, RefreshGrant grant) {
        return Scopes.narrow(scope, grant.origin().scopes(),
                "The requested scope exceeds the scope originally granted.");
    }
}
