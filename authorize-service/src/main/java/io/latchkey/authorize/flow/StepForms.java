package io.latchkey.authorize.flow;

import io.latchkey.model.domain.AuthorizationRequest;
import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.SignInProgress;
import io.latchkey.model.form.Parameters;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads the form of one step of a sign-in (a second factor, an enrolment, a passkey): parsed strictly, checked
 * against the pending request's browser binding and CSRF token, with the request's client.
 */
@ApplicationScoped
public class StepForms {

    /** A checked form, the request it belongs to and that request's client. */
    public record StepForm(Parameters fields, AuthorizationRequest request, ClientRegistration client) {

        public String field(String name) {
            return fields.single(name).orElse(null);
        }

        /**
         * The sign-in under way; a step that needs one (a second factor, an enrolment) is refused without it, so
         * posting to it straight from the login page proves nothing.
         */
        public SignInProgress signIn() {
            if (request.signIn() == null) {
                throw new OAuthException(OAuthError.INVALID_REQUEST,
                        "No sign-in is under way for this request. Go back to the application and start again.");
            }
            return request.signIn();
        }
    }

    private final PendingRequests pending;
    private final AuthorizationFlow flow;

    public StepForms(PendingRequests pending, AuthorizationFlow flow) {
        this.pending = pending;
        this.flow = flow;
    }

    public Uni<StepForm> read(byte[] body, String browserCookie) {
        Parameters form = Parameters.parseBody(body).requireNoRepeats();
        return pending.require(form.single("request_id").orElse(null), browserCookie, form.single("csrf_token").orElse(null))
                .flatMap(request -> flow.clientOf(request).map(client -> new StepForm(form, request, client)));
    }
}
