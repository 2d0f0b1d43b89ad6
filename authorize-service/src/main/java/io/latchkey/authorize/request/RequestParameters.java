package io.latchkey.authorize.request;

import io.latchkey.model.form.Parameters;
import java.util.Objects;

/**
 * The parameters an authorization request is checked with: those sent to /authorize, or those its client pushed
 * beforehand, which are then the request (RFC 9126 §4).
 *
 * @param pushed   whether they were pushed (RFC 9126 §2), or are being pushed: a client that must push its requests
 *                 (RFC 9126 §6) is refused otherwise
 * @param conflict a parameter sent to /authorize beside a pushed request's request_uri with another value than the
 *                 pushed one; null when none
 */
public record RequestParameters(Parameters values, boolean pushed, String conflict) {

    public RequestParameters {
        Objects.requireNonNull(values, "values");
    }

    /** Parameters sent to /authorize as they are. */
    public static RequestParameters sent(Parameters values) {
        return new RequestParameters(values, false, null);
    }

    /** Parameters a client is pushing to /par now. */
    public static RequestParameters pushing(Parameters values) {
        return new RequestParameters(values, true, null);
    }
}
