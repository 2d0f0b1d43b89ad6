package io.latchkey.token.userinfo;

import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.directory.UserDirectory;
import io.latchkey.model.dpop.Dpop;
import io.latchkey.model.dpop.DpopException;
import io.latchkey.model.dpop.DpopProofs;
import io.latchkey.model.dpop.DpopTarget;
import io.latchkey.model.form.Parameters;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.token.AccessToken;
import io.latchkey.token.TokenServiceConfig;
import io.latchkey.token.verify.AccessTokenVerifier;
import io.latchkey.token.web.BearerTokenException;
import io.latchkey.token.web.DeclaredParameters;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;

/**
 * The UserInfo endpoint (OIDC Core §5.3) as an RFC 6750 protected resource: the access token comes in
 * the Authorization header (§2.1) or, with POST, as the access_token form parameter (§2.2); never in the
 * query (§2.3, it would end up in logs). Claims are released per granted scope (§5.4).
 *
 * <p>A DPoP-bound access token (RFC 9449 §7.1) comes as {@code Authorization: DPoP <token>} with a proof of its key
 * for this request ({@code htm}, {@code htu}, {@code ath}; used once; no server nonce here). It is refused as a
 * bearer token (§7.2: no downgrade), without a proof or with another key's; the DPoP scheme with an unbound token is
 * refused too. These answers carry the DPoP challenge; bearer tokens are answered as before.
 */
@Path("/userinfo")
public class UserInfoResource {

    private static final String OPENID = "openid";

    /** An access token as the request carried it. */
    record Presented(String token, boolean dpopScheme) {
    }

    private final AccessTokenVerifier verifier;
    private final UserDirectory users;
    private final DpopProofs proofs;
    private final int maxFormBytes;
    private final DpopTarget getTarget;
    private final DpopTarget postTarget;

    public UserInfoResource(AccessTokenVerifier verifier, UserDirectory users, DpopProofs proofs, TokenServiceConfig config,
            LatchkeyConfig latchkey) {
        this.verifier = verifier;
        this.users = users;
        this.proofs = proofs;
        this.maxFormBytes = config.maxFormBytes();
        String url = latchkey.tokenServiceBase() + "/userinfo";
        this.getTarget = DpopTarget.of("GET", url);
        this.postTarget = DpopTarget.of("POST", url);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> get(@HeaderParam("Authorization") String authorization, @Context HttpHeaders headers) {
        return Uni.createFrom().deferred(() -> userInfo(fromHeader(authorization).orElseThrow(BearerTokenException::missing),
                headers.getRequestHeader(Dpop.PROOF_HEADER), getTarget));
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> post(@HeaderParam("Authorization") String authorization, @HeaderParam("Content-Type") String contentType,
            byte[] body, @Context HttpHeaders headers) {
        return Uni.createFrom().deferred(() -> {
            Optional<Presented> header = fromHeader(authorization);
            // RFC 6750 §2.2: the form-encoded body parameter.
            Optional<Presented> form = Parameters.isForm(contentType)
                    ? DeclaredParameters.optional("access_token").check(Parameters.parseBody(body, maxFormBytes)).single("access_token")
                            .map(token -> new Presented(token, false))
                    : Optional.empty();
            if (header.isPresent() && form.isPresent()) {
                // RFC 6750 §2: a client MUST NOT use more than one method to transmit the token.
                throw BearerTokenException.invalidRequest("Send the access token in one place only.");
            }
            return userInfo(header.or(() -> form).orElseThrow(BearerTokenException::missing),
                    headers.getRequestHeader(Dpop.PROOF_HEADER), postTarget);
        });
    }

    private Uni<Response> userInfo(Presented presented, List<String> proofHeaders, DpopTarget target) {
        return verifier.verify(presented.token()).flatMap(result -> {
            if (result.token().isEmpty()) {
                String problem = switch (result.problem()) {
                    case EXPIRED -> "The access token has expired.";
                    case REVOKED -> "The access token has been revoked.";
                    case INVALID -> "The access token is invalid.";
                };
                throw presented.dpopScheme() ? BearerTokenException.dpop(OAuthError.INVALID_TOKEN, problem) : BearerTokenException.invalid(problem);
            }
            AccessToken accessToken = result.token().get();
            Optional<String> boundTo = accessToken.dpopJkt();
            if (!presented.dpopScheme()) {
                if (boundTo.isPresent()) {
                    // RFC 9449 §7.2: a bound token presented as a bearer token is refused.
                    throw BearerTokenException.dpop(OAuthError.INVALID_TOKEN,
                            "The access token is bound to a DPoP key: present it with the DPoP scheme and a DPoP proof.");
                }
                return release(accessToken, false);
            }
            if (boundTo.isEmpty()) {
                throw BearerTokenException.dpop(OAuthError.INVALID_TOKEN,
                        "The access token is not bound to a DPoP key; present it with the Bearer scheme.");
            }
            if (proofHeaders == null || proofHeaders.isEmpty()) {
                throw BearerTokenException.dpop(OAuthError.INVALID_DPOP_PROOF, "A DPoP proof is required with the DPoP scheme.");
            }
            return proofs.verify(proofHeaders, target, presented.token(), false)
                    .onFailure(DpopException.class).transform(e -> BearerTokenException.dpop(((DpopException) e).error(),
                            ((DpopException) e).description()))
                    .flatMap(proof -> {
                        // RFC 9449 §4.3 step 12, §6: the proof's key must be the token's.
                        if (!boundTo.get().equals(proof.orElseThrow().jkt())) {
                            throw BearerTokenException.dpop(OAuthError.INVALID_TOKEN,
                                    "The DPoP proof's key is not the one the access token is bound to.");
                        }
                        return release(accessToken, true);
                    });
        });
    }

    private Uni<Response> release(AccessToken accessToken, boolean dpop) {
        if (!accessToken.hasScope(OPENID)) {
            String description = "The access token lacks the openid scope.";
            throw dpop ? BearerTokenException.dpop(OAuthError.INSUFFICIENT_SCOPE, description)
                    : BearerTokenException.insufficientScope(description);
        }
        return users.find(accessToken.subject()).map(user -> user.filter(u -> u.enabled())
                .map(u -> Response.ok(ScopeClaims.release(u, accessToken.scopes()))
                        .header("Cache-Control", "no-store")
                        .header("Pragma", "no-cache")
                        .build())
                .orElseThrow(() -> dpop ? BearerTokenException.dpop(OAuthError.INVALID_TOKEN, "The access token's user no longer exists.")
                        : BearerTokenException.invalid("The access token's user no longer exists.")));
    }

    /**
     * RFC 6750 §2.1 {@code Authorization: Bearer <token>} or RFC 9449 §7.1 {@code Authorization: DPoP <token>}, the
     * scheme case-insensitive.
     */
    static Optional<Presented> fromHeader(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return Optional.empty();
        }
        for (String scheme : List.of("Bearer ", Dpop.TOKEN_TYPE + " ")) {
            if (authorization.regionMatches(true, 0, scheme, 0, scheme.length()) && !authorization.substring(scheme.length()).isBlank()) {
                return Optional.of(new Presented(authorization.substring(scheme.length()).trim(), scheme.startsWith(Dpop.TOKEN_TYPE)));
            }
        }
        throw BearerTokenException.invalidRequest("The Authorization header must use the Bearer or the DPoP scheme.");
    }
}
