package io.latchkey.token.introspect;

import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.RefreshGrant;
import io.latchkey.model.dpop.Dpop;
import io.latchkey.model.form.Parameters;
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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token introspection (RFC 7662) for confidential clients (§2.1: the caller must be authorized; a public
 * client's id proves nothing). A client registered as a resource server may ask about any token; any
 * other client only about its own. Anything else, like anything that is not a live token of ours, is
 * {@code {"active": false}} with no further detail (§2.2, §4): a client probing another client's tokens
 * cannot tell a live one from a dead one. A 401 could not depend on the token without telling exactly
 * that, and the caller did authenticate; RFC 7662 §4 allows the inactive answer for a caller that may not
 * know about a token.
 */
@Path("/introspect")
public class IntrospectionResource {

    private static final Map<String, Object> INACTIVE = Map.of("active", false);

    private final ClientAuthenticator authenticator;
    private final RefreshTokenStore refreshTokens;
    private final AccessTokenVerifier verifier;
    private final LatchkeyConfig config;
    private final int maxFormBytes;

    public IntrospectionResource(ClientAuthenticator authenticator, RefreshTokenStore refreshTokens, AccessTokenVerifier verifier,
            LatchkeyConfig config, TokenServiceConfig serviceConfig) {
        this.authenticator = authenticator;
        this.refreshTokens = refreshTokens;
        this.verifier = verifier;
        this.config = config;
        this.maxFormBytes = serviceConfig.maxFormBytes();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> introspect(@HeaderParam("Content-Type") String contentType, @HeaderParam("Authorization") String authorization,
            byte[] body) {
        return Uni.createFrom().deferred(() -> {
            Parameters form = Parameters.parseForm(contentType, body, maxFormBytes);
            // RFC 7662 §2.1: token, and token_type_hint, which the token's shape makes unnecessary.
            String token = DeclaredParameters.required("token").andOptional("token_type_hint").check(form).single("token").orElseThrow();
            return authenticator.authenticateConfidential(authorization, DeclaredParameters.CLIENT_AUTHENTICATION.check(form))
                    .flatMap(client -> OpaqueToken.parse(token).isPresent() ? refreshToken(client, token) : accessToken(client, token));
        }).map(answer -> Response.ok(answer).header("Cache-Control", "no-store").header("Pragma", "no-cache").build());
    }

    private Uni<Map<String, Object>> accessToken(ClientRegistration caller, String token) {
        return verifier.verify(token).map(result -> result.token()
                .filter(t -> mayIntrospect(caller, t.clientId()))
                .map(IntrospectionResource::describe).orElse(INACTIVE));
    }

    private Uni<Map<String, Object>> refreshToken(ClientRegistration caller, String token) {
        return refreshTokens.find(token).map(grant -> grant
                .filter(g -> mayIntrospect(caller, g.clientId()))
                .map(this::describe).orElse(INACTIVE));
    }

    /** RFC 7662 §4: the server decides which protected resources may learn about which tokens. */
    private static boolean mayIntrospect(ClientRegistration caller, String tokenClientId) {
        return caller.resourceServer() || caller.clientId().equals(tokenClientId);
    }

    private static Map<String, Object> describe(AccessToken token) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("active", true);
        // RFC 9449 §6.2: a bound token is of type DPoP and names its key, which the resource server checks itself.
        answer.put("token_type", token.dpopJkt().isPresent() ? Dpop.TOKEN_TYPE : "Bearer");
        answer.put("scope", String.join(" ", token.scopes()));
        answer.put("client_id", token.clientId());
        answer.put("sub", token.subject());
        answer.put("iss", token.claims().get("iss"));
        answer.put("aud", token.claims().get("aud"));
        answer.put("iat", token.issuedAt());
        answer.put("exp", token.expiresAt());
        answer.put("jti", token.jti());
        token.dpopJkt().ifPresent(jkt -> answer.put("cnf", Map.of("jkt", jkt)));
        return answer;
    }

    private Map<String, Object> describe(RefreshGrant grant) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("active", true);
        answer.put("token_type", "refresh_token");
        answer.put("scope", String.join(" ", grant.origin().scopes()));
        answer.put("client_id", grant.clientId());
        answer.put("sub", grant.subject());
        answer.put("iss", config.issuer());
        // The family's absolute cap: no token of it lives longer (its idle lifetime may end it sooner).
        answer.put("exp", (grant.createdAtMillis() + config.lifetimes().refreshTokenMax().toMillis()) / 1000);
        if (grant.dpopJkt() != null) {
            // RFC 9449 §5: only a proof of this key refreshes it.
            answer.put("cnf", Map.of("jkt", grant.dpopJkt()));
        }
        return answer;
    }
}
