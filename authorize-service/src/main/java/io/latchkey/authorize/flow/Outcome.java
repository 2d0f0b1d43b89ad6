package io.latchkey.authorize.flow;

import io.latchkey.authorize.login.LoginOptions;
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

    /** A first factor is proven and a second is asked, with one of the user's enrolled options. */
    record ShowSecondFactor(AuthorizationRequest request, ClientRegistration client, LoginOptions.Enrolled enrolled)
            implements Outcome {
    }

    /** A second factor is required and the user has none: they enrol one now. */
    record ShowEnrolment(AuthorizationRequest request, ClientRegistration client) implements Outcome {
    }

    /** A password sign-in is complete and the user has no passkey: one is offered before going on. */
    record OfferPasskey(AuthorizationRequest request, ClientRegistration client) implements Outcome {
    }

    /** A sign-in finished: the browser gets the new session's cookie, then {@code next}. */
    record SignedIn(Sessions.Opened session, Outcome next) implements Outcome {
    }
}
