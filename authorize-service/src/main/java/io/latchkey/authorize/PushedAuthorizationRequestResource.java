package io.latchkey.authorize;

import io.latchkey.authorize.flow.AuthorizationFlow;
import io.latchkey.authorize.par.DpopProofKeys;
import io.latchkey.authorize.par.PushedRequestException;
import io.latchkey.authorize.par.PushedRequests;
import io.latchkey.authorize.request.RequestParameters;
import io.latchkey.model.client.ClientAuthenticator;
import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.form.Parameters;
import io.latchkey.model.oauth.OAuthError;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pushed authorization request endpoint (RFC 9126 §2): the client authenticates as at the token endpoint, its
 * authorization request is checked exactly as /authorize checks one, and it gets a single-use request_uri to send
 * the browser to /authorize with. Every error is JSON (§2.3), never a redirect: the client is on the line.
 */
@Path("/par")
public class PushedAuthorizationRequestResource {

    private final ClientAuthenticator authenticator;
    private final AuthorizationFlow flow;
    private final PushedRequests pushed;
    private final DpopProofKeys dpop;
    private final String url;

    public PushedAuthorizationRequestResource(ClientAuthenticator authenticator, AuthorizationFlow flow, PushedRequests pushed,
            DpopProofKeys dpop, LatchkeyConfig config) {
        this.authenticator = authenticator;
        this.flow = flow;
        this.pushed = pushed;
        this.dpop = dpop;
        this.url = config.issuer() + "/par";
    }

    /** Any content type is accepted here so that a wrong one is answered with invalid_request in JSON, not 415. */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> push(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpHeaders headers, byte[] body) {
        return Uni.createFrom().deferred(() -> {
            // RFC 6749 §3.2: no parameter twice, the client's credentials included.
            Parameters form = Parameters.parseForm(contentType, body, Parameters.MAX_TOTAL_LENGTH).requireNoRepeats();
            return authenticator.authenticate(authorization, form).flatMap(client -> {
                // After authentication, so that a client that failed it learns nothing about its request.
                if (form.has("request_uri")) {
                    throw OAuthError.INVALID_REQUEST.withDescription("request_uri cannot be pushed (RFC 9126 2.1).");
                }
                flow.check(RequestParameters.pushing(form), client);
                return proofKey(headers.getRequestHeader("DPoP"), form)
                        .flatMap(jkt -> pushed.push(client, form, jkt));
            });
        }).map(request -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("request_uri", request.requestUri());
            answer.put("expires_in", request.expiresIn());
            return Response.status(Response.Status.CREATED).entity(answer).type(MediaType.APPLICATION_JSON_TYPE)
                    .header(HttpHeaders.CACHE_CONTROL, "no-store")
                    .header("Pragma", "no-cache")
                    .build();
        }).onFailure().transform(PushedRequestException::of);
    }

    /**
     * RFC 9449 §10.1: a DPoP proof sent with the push binds the code to its key; with dpop_jkt beside it, both must
     * name the same key. Null when there is no proof (dpop_jkt, if any, is then stored as pushed).
     */
    private Uni<String> proofKey(List<String> proofs, Parameters form) {
        if (proofs == null || proofs.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        if (proofs.size() > 1) {
            return Uni.createFrom().failure(OAuthError.INVALID_DPOP_PROOF.withDescription("Send one DPoP header, not several."));
        }
        return dpop.thumbprint(proofs.get(0), "POST", url).map(jkt -> {
            if (form.single("dpop_jkt").filter(named -> !named.equals(jkt)).isPresent()) {
                throw OAuthError.INVALID_REQUEST.withDescription("dpop_jkt is not the thumbprint of the DPoP proof's key.");
            }
            return jkt;
        });
    }
}
