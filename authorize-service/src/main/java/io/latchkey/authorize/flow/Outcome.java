package io.latchkey.authorize.flow;

import io.latchkey.model.domain.AuthorizationRequest;
import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.User;
import java.net.URI;

/** What the authorization flow asks the browser to do next. */
public sealed interface Outcome {

    /** Back to the client with a code or an error. */
    record Redirect(URI location) implements Outcome {
    }

    /** The login page for a stored pending request. */
    record ShowLogin(AuthorizationRequest request, ClientRegistration client) implements Outcome {
    }

    /** The consent page for a stored pending request. */
    record ShowConsent(AuthorizationRequest request, ClientRegistration client, User user) implements Outcome {
    }
}
