package io.latchkey.authorize.flow;

/**
 * Where and how an authorization response goes back to the client, known once client and redirect_uri
 * are proven.
 *
 * @param responseMode {@code query} or {@code fragment} (OAuth 2.0 Multiple Response Type Encoding Practices §2)
 * @param state        echoed as sent (RFC 6749 §4.1.2); null when absent
 */
public record ResponseTarget(String redirectUri, String responseMode, String state) {
}
