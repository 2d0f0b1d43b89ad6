package io.latchkey.token.userinfo;

import io.latchkey.model.form.Parameters;
import io.latchkey.model.directory.UserDirectory;
import io.latchkey.token.TokenServiceConfig;
import io.latchkey.model.token.AccessToken;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;

/**
 * The UserInfo endpoint (OIDC Core §5.3) as an RFC 6750 protected resource: the access token comes in
 * the Authorization header (§2.1) or, with POST, as the access_token form parameter (§2.2); never in the
 * query (§2.3, it would end up in logs). Claims are released per granted scope (§5.4).
 */
@Path("/userinfo")
public class UserInfoResource {

    private static final String OPENID = "openid";

    private final AccessTokenVerifier verifier;
    private final UserDirectory users;
    private final int maxFormBytes;

    public UserInfoResource(AccessTokenVerifier verifier, UserDirectory users, TokenServiceConfig config) {
        this.verifier = verifier;
        this.users = users;
        this.maxFormBytes = config.maxFormBytes();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> get(@HeaderParam("Authorization") String authorization) {
        return Uni.createFrom().deferred(() -> userInfo(fromHeader(authorization).orElseThrow(BearerTokenException::missing)));
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> post(@HeaderParam("Authorization") String authorization, @HeaderParam("Content-Type") String contentType,
            byte[] body) {
        return Uni.createFrom().deferred(() -> {
            Optional<String> header = fromHeader(authorization);
            // RFC 6750 §2.2: the form-encoded body parameter.
            Optional<String> form = Parameters.isForm(contentType)
                    ? DeclaredParameters.optional("access_token").check(Parameters.parseBody(body, maxFormBytes)).single("access_token")
                    : Optional.empty();
            if (header.isPresent() && form.isPresent()) {
                // RFC 6750 §2: a client MUST NOT use more than one method to transmit the token.
                throw BearerTokenException.invalidRequest("Send the access token in one place only.");
            }
            return userInfo(header.or(() -> form).orElseThrow(BearerTokenException::missing));
        });
    }

    private Uni<Response> userInfo(String token) {
        return verifier.verify(token).flatMap(result -> {
            AccessToken accessToken = result.token().orElseThrow(() -> BearerTokenException.invalid(switch (result.problem()) {
                case EXPIRED -> "The access token has expired.";
                case REVOKED -> "The access token has been revoked.";
                case INVALID -> "The access token is invalid.";
            }));
            if (!accessToken.hasScope(OPENID)) {
                throw BearerTokenException.insufficientScope("The access token lacks the openid scope.");
            }
            return users.find(accessToken.subject()).map(user -> user.filter(u -> u.enabled())
                    .map(u -> Response.ok(ScopeClaims.release(u, accessToken.scopes()))
                            .header("Cache-Control", "no-store")
                            .header("Pragma", "no-cache")
                            .build())
                    .orElseThrow(() -> BearerTokenException.invalid("The access token's user no longer exists.")));
        });
    }

    /** RFC 6750 §2.1: {@code Authorization: Bearer <token>}, the scheme case-insensitive. */
    static Optional<String> fromHeader(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return Optional.empty();
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.substring(7).isBlank()) {
            throw BearerTokenException.invalidRequest("The Authorization header must use the Bearer scheme.");
        }
        return Optional.of(authorization.substring(7).trim());
    }
}
