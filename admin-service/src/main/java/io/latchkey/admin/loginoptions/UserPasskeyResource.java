package io.latchkey.admin.loginoptions;

import io.latchkey.admin.auth.AdminCaller;
import io.latchkey.admin.auth.AdminScope;
import io.latchkey.admin.auth.RequiresScope;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/** DELETE /admin/users/{id}/passkeys/{passkeyId}: removes one passkey, by the id the login-options report gives. */
@Path("/admin/users/{id}/passkeys/{passkeyId}")
@RequiresScope(AdminScope.SCIM)
public class UserPasskeyResource {

    private final UserLoginOptions options;
    private final AdminCaller caller;

    public UserPasskeyResource(UserLoginOptions options, AdminCaller caller) {
        this.options = options;
        this.caller = caller;
    }

    @DELETE
    public Uni<Response> remove(@PathParam("id") String userId, @PathParam("passkeyId") long passkeyId) {
        return options.removePasskey(userId, passkeyId, caller.actor()).map(x -> Response.noContent().build());
    }
}
