package io.latchkey.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testing.TestRedis;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** Codes and tokens obtained the way the demo native app obtains them, as raw strings the tests can replay. */
final class Grants {

    /** A code as the client holds it after the redirect, with what it needs to redeem it. */
    record Code(String code, String verifier, String redirectUri, String state, URI callback) {
    }

    private Grants() {
    }

    /** Signs in as alice through the forms (login, consent) and returns the code of the redirect. */
    static Code mint(Stack stack) {
        try {
            String redirect = "http://127.0.0.1:" + TestRedis.freePort() + "/callback";
            OidcClient client = new OidcClient(stack.issuer, Stack.NATIVE_CLIENT, redirect);
            OidcClient.Attempt attempt = client.newAttempt();
            URI callback = new FormDriver().authorize(attempt.request().toURI(), redirect, Stack.USERNAME, Stack.PASSWORD);
            var success = client.parseCallback(callback);
            return new Code(success.getAuthorizationCode().getValue(), attempt.verifier().getValue(), redirect,
                    attempt.state().getValue(), callback);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("could not mint a code: " + e.getMessage(), e);
        }
    }

    /** An authorization request of the native client (PKCE, a free loopback port), to open the login page with. */
    static URI authorizationRequest(Stack stack) {
        try {
            String redirect = "http://127.0.0.1:" + TestRedis.freePort() + "/callback";
            return URI.create(stack.issuer + "/authorize?" + Wire.form(FuzzCase.map("response_type", "code",
                    "client_id", Stack.NATIVE_CLIENT, "redirect_uri", redirect, "scope", "openid", "state", "s",
                    "code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method", "S256")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> exchangeForm(Code code) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("client_id", Stack.NATIVE_CLIENT);
        form.put("code", code.code());
        form.put("redirect_uri", code.redirectUri());
        form.put("code_verifier", code.verifier());
        return form;
    }

    static Map<String, String> refreshForm(String refreshToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("client_id", Stack.NATIVE_CLIENT);
        form.put("refresh_token", refreshToken);
        return form;
    }

    /** Redeems {@code code} at the given replica and insists on tokens. */
    static Wire.Answer exchange(Stack stack, int replica, Code code) {
        Wire.Answer answer = Wire.postForm(stack.tokenUrl(replica) + "/token", exchangeForm(code));
        assertThat(answer.status()).as("exchange: %s", answer).isEqualTo(200);
        return answer;
    }

    static Wire.Answer userinfo(Stack stack, int replica, String accessToken) {
        return Wire.get(stack.tokenUrl(replica) + "/userinfo", "Authorization", "Bearer " + accessToken);
    }
}
