package io.latchkey.admin.auth;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** A resource of the tests alone, guarded like the real ones, that answers with who called. */
@Path("/admin/probe")
@RequiresScope(AdminScope.AUDIT)
public class ProbeResource {

    private final AdminCaller caller;

    public ProbeResource(AdminCaller caller) {
        this.caller = caller;
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String actor() {
        return caller.actor();
    }
}
