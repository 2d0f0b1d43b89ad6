package io.latchkey.admin.auth;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Runs {@link AdminTokens} before every resource method that {@link RequiresScope} marks. */
public class AdminAuthFilter {

    private final AdminTokens tokens;
    private final AdminCaller caller;

    public AdminAuthFilter(AdminTokens tokens, AdminCaller caller) {
        this.tokens = tokens;
        this.caller = caller;
    }

    @ServerRequestFilter
    public Uni<Void> authenticate(ContainerRequestContext request, ResourceInfo resource) {
        RequiresScope required = resource.getResourceMethod() == null ? null
                : resource.getResourceMethod().getAnnotation(RequiresScope.class);
        if (required == null && resource.getResourceClass() != null) {
            required = resource.getResourceClass().getAnnotation(RequiresScope.class);
        }
        if (required == null) {
            return Uni.createFrom().voidItem();
        }
        return tokens.verify(request.getHeaderString(HttpHeaders.AUTHORIZATION), required.value())
                .invoke(caller::authenticated)
                .replaceWithVoid();
    }
}
