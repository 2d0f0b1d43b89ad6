package io.latchkey.token;

import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.GrantType;
import io.latchkey.model.dpop.Dpop;
import io.latchkey.model.dpop.DpopConfig;
import io.latchkey.model.dpop.DpopPolicy;
import io.latchkey.model.dpop.DpopProof;
import io.latchkey.model.dpop.DpopProofs;
import io.latchkey.model.dpop.DpopTarget;
import io.latchkey.model.form.Parameters;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.client.ClientAuthenticator;
import io.latchkey.token.cors.ClientOriginPolicy;
import io.latchkey.token.grant.DpopBinding;
import io.latchkey.token.grant.GrantHandler;
import io.latchkey.token.grant.TokenResponse;
import io.latchkey.token.metrics.TokenMetrics;
import io.latchkey.token.web.DeclaredParameters;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The token endpoint (RFC 6749 §3.2): parse the form, authenticate the client, check the parameters its
 * grant's handler declares, verify the DPoP proof if there is one (RFC 9449 §5), hand the request to that handler.
 * The proof, with its nonce, is checked before the handler consumes a code or a refresh token, so a client told
 * {@code use_dpop_nonce} retries with the same grant.
 * Every answer is {@code no-store} (§5.1); errors are written by the mapper.
 */
@Path("/token")
public class TokenResource {

    private static final DeclaredParameters ENDPOINT = DeclaredParameters.required("grant_type");

    private final Map<GrantType, GrantHandler> handlers = new EnumMap<>(GrantType.class);
    private final ClientAuthenticator authenticator;
    private final int maxFormBytes;
    private final TokenMetrics metrics;
    private final DpopProofs proofs;
    private final DpopTarget dpopTarget;
    private final boolean nonceRequired;

    public TokenResource(Instance<GrantHandler> handlers, ClientAuthenticator authenticator, TokenServiceConfig config,
            TokenMetrics metrics, DpopProofs proofs, LatchkeyConfig latchkey, DpopConfig dpop) {
        handlers.forEach(h -> this.handlers.put(h.grantType(), h));
        this.authenticator = authenticator;
        this.maxFormBytes = config.maxFormBytes();
        this.metrics = metrics;
        this.proofs = proofs;
        // htu is the URL discovery gives clients, whatever Host the request reached this replica with.
        this.dpopTarget = DpopTarget.of("POST", latchkey.tokenServiceBase() + "/token");
        this.nonceRequired = dpop.nonceRequired();
    }

    /** Any content type is accepted here so that a wrong one is answered with invalid_request, not 415. */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> token(@HeaderParam("Content-Type") String contentType,
            @HeaderParam("Authorization") String authorization, byte[] body, RoutingContext context) {
        return Uni.createFrom().deferred(() -> {
            Parameters form = Parameters.parseForm(contentType, body, maxFormBytes);
            String grantTypeName = ENDPOINT.check(form).single("grant_type").orElseThrow();
            GrantHandler handler = GrantType.of(grantTypeName).map(handlers::get).orElseThrow(() ->
                    OAuthError.UNSUPPORTED_GRANT_TYPE.withDescription("grant_type is not supported."));
            Parameters credentials = DeclaredParameters.CLIENT_AUTHENTICATION.check(form);
            return authenticator.authenticate(authorization, credentials).flatMap(client -> {
                ClientOriginPolicy.restrictTo(context, client);
                if (!client.allows(handler.grantType())) {
                    throw OAuthError.UNAUTHORIZED_CLIENT.withDescription(
                            "The client is not registered for grant_type " + handler.grantType().value() + ".");
                }
                // After authentication, so that a client that failed it learns nothing about its request.
                Parameters grant = handler.parameters().check(form);
                return proofs.verify(context.request().headers().getAll(Dpop.PROOF_HEADER), dpopTarget, null, nonceRequired)
                        .flatMap(proof -> handle(handler, grant, client, proof));
            });
        });
    }

    private Uni<Response> handle(GrantHandler handler, Parameters grant, ClientRegistration client, Optional<DpopProof> proof) {
        if (proof.isEmpty() && client.dpop() == DpopPolicy.REQUIRED) {
            // RFC 9449 §5.2 (dpop_bound_access_tokens): refused before the grant is touched.
            throw OAuthError.INVALID_DPOP_PROOF.withDescription("A DPoP proof is required: this client must send one with every token request.");
        }
        DpopBinding binding = proof.map(p -> DpopBinding.of(p.jkt())).orElse(DpopBinding.NONE);
        Uni<TokenResponse> tokens = handler.handle(grant, client, binding).invoke(t -> metrics.issued(handler.grantType()));
        // RFC 9449 §8.2: the next nonce comes with a successful DPoP answer, so the client need not be refused for it.
        return proof.isPresent() && nonceRequired
                ? tokens.flatMap(t -> proofs.nonce().map(nonce -> answer(t).header(Dpop.NONCE_HEADER, nonce).build()))
                : tokens.map(t -> answer(t).build());
    }

    private static Response.ResponseBuilder answer(TokenResponse tokens) {
        return Response.ok(tokens.json(), MediaType.APPLICATION_JSON_TYPE)
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache");
    }
}
