package io.latchkey.admin.registration;

import io.latchkey.model.config.LatchkeyConfig;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;

/**
 * Where clients reach registration: {@code latchkey.registration.endpoint} when an operator published it (the URL
 * discovery lists), else /register on the host the request came to. A client's configuration endpoint
 * (RFC 7592 §1) is that URL plus its id.
 */
public record RegistrationUris(String endpoint) {

    public static RegistrationUris of(LatchkeyConfig config, UriInfo request) {
        return new RegistrationUris(config.registration().endpoint()
                .orElseGet(() -> request.getBaseUriBuilder().path("register").build().toString()));
    }

    public String client(String clientId) {
        return UriBuilder.fromUri(endpoint).path("{clientId}").build(clientId).toString();
    }
}
