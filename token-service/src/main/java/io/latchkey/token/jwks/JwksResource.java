package io.latchkey.token.jwks;

import io.latchkey.token.keys.KeyRing;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

/**
 * The public signing keys (RFC 7517 §5), as the discovery document's jwks_uri. Every key of the ring is
 * published, including keys no longer used for signing, until tokens signed with them have expired.
 * The answer is cacheable for a short time: a verifier that meets an unknown kid fetches again.
 */
@Path("/jwks")
public class JwksResource {

    /** RFC 7517 §8.5.1. */
    public static final String JWK_SET = "application/jwk-set+json";

    private final KeyRing keyRing;

    public JwksResource(KeyRing keyRing) {
        this.keyRing = keyRing;
    }

    @GET
    @Produces({JWK_SET, "application/json"})
    public Uni<Response> jwks() {
        return keyRing.keys().map(keys -> Response.ok(keys.publicJwks(), JWK_SET)
                .header("Cache-Control", "public, max-age=300")
                .build());
    }
}
