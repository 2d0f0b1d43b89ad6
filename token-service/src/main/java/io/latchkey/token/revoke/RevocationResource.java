package io.latchkey.token.revoke;

import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.form.Parameters;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.store.AccessTokenRevocations;
import io.latchkey.model.store.RefreshTokenStore;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.token.TokenServiceConfig;
import io.latchkey.model.client.ClientAuthenticator;
import io.latchkey.model.token.AccessToken;
import io.latchkey.token.verify.AccessTokenVerifier;
import io.latchkey.token.web.DeclaredParameters;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;

/**
 * Token revocation (RFC 7009). A refresh token ends its whole family, and with it the access tokens
 * issued from that family (§2.1). An access token goes on the jti deny-list until it would have expired.
 * A token that is unknown, expired or already revoked is answered 200 like a success (§2.2): the client
 * cannot do anything about it, and the answer reveals nothing.
 */
@Path("/revoke")
public class RevocationResource {

    /** RFC 7009 §2.1. */
    private static final DeclaredParameters PARAMETERS = DeclaredParameters.required("token").andOptional("token_type_hint");

    private final ClientAuthenticator authenticator;
    private final RefreshTokenStore refreshTokens;
    private final AccessTokenVerifier verifier;
    private final AccessTokenRevocations revocations;
    private final int maxFormBytes;

    public RevocationResource(ClientAuthenticator authenticator, RefreshTokenStore refreshTokens, AccessTokenVerifier verifier,
            AccessTokenRevocations revocations, TokenServiceConfig config) {
        this.authenticator = authenticator;
        this.refreshTokens = refreshTokens;
        this.verifier = verifier;
        this.revocations = revocations;
        this.maxFormBytes = config.maxFormBytes();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> revoke(@HeaderParam("Content-Type") String contentType, @HeaderParam("Authorization") String authorization,
            byte[] body) {
        return Uni.createFrom().deferred(() -> {
            Parameters form = Parameters.parseForm(contentType, body, maxFormBytes);
            String token = PARAMETERS.check(form).single("token").orElseThrow();
            // token_type_hint (§2.1) only saves a lookup; the shape of the token already tells the two kinds apart.
            return authenticator.authenticate(authorization, DeclaredParameters.CLIENT_AUTHENTICATION.check(form))
                    .flatMap(client -> OpaqueToken.parse(token).isPresent()
                            ? revokeRefreshToken(client, token)
                            : revokeAccessToken(client, token));
        }).map(x -> Response.ok().header("Cache-Control", "no-store").header("Pragma", "no-cache").build());
    }

    private Uni<Void> revokeRefreshToken(ClientRegistration client, String token) {
        return refreshTokens.find(token).flatMap(grant -> {
            if (grant.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            requireOwner(client, grant.get().clientId());
            return refreshTokens.revokeFamily(grant.get().family()).replaceWithVoid();
        });
    }

    private Uni<Void> revokeAccessToken(ClientRegistration client, String token) {
        return verifier.verify(token).flatMap(result -> {
            if (result.token().isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            AccessToken accessToken = result.token().get();
            requireOwner(client, accessToken.clientId());
            Duration remaining = Duration.ofSeconds(accessToken.expiresAt() - System.currentTimeMillis() / 1000 + 1);
            return revocations.revoke(accessToken.jti(), remaining);
        });
    }

    /** §2.1: the server verifies that the token was issued to the client making the request. */
    private static void requireOwner(ClientRegistration client, String owner) {
        if (!client.clientId().equals(owner)) {
            throw OAuthError.UNAUTHORIZED_CLIENT.withDescription("The token was not issued to this client.");
        }
    }
}
