package io.latchkey.admin.loginoptions;

import io.latchkey.admin.auth.AdminCaller;
import io.latchkey.admin.auth.AdminScope;
import io.latchkey.admin.auth.RequiresScope;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * GET /admin/users/{id}/login-options: the user's TOTP authenticator and passkeys; DELETE resets them (the user
 * signs in with the password alone until they enrol again, if the policy lets them). The {@code scim} scope opens
 * it, as it opens setting the password: both change how a user proves who they are, which {@code sessions} (ending
 * grants that exist) must not.
 */
@Path("/admin/users/{id}/login-options")
@RequiresScope(AdminScope.SCIM)
public class LoginOptionsResource {

    private final UserLoginOptions options;
    private final AdminCaller caller;

    public LoginOptionsResource(UserLoginOptions options, AdminCaller caller) {
        this.options = options;
        this.caller = caller;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> report(@PathParam("id") String userId) {
        return options.report(userId).map(report -> Response.ok(report).header("Cache-Control", "no-store").build());
    }

    @DELETE
    public Uni<Response> reset(@PathParam("id") String userId) {
        return options.reset(userId, caller.actor()).map(x -> Response.noContent().build());
    }
}
