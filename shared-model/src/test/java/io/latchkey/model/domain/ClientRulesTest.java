package io.latchkey.model.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The redirect URI rules realm files and dynamic registration share. */
class ClientRulesTest {

    @Test
    void acceptedRedirects() {
        for (String uri : List.of("https://app.example.com/cb", "https://app.example.com/cb?tenant=a", "http://localhost:5173/cb",
                "http://127.0.0.1/cb", "http://[::1]:8080/cb")) {
            assertThat(ClientRules.redirectUriProblem(uri, ApplicationType.WEB)).as(uri).isEmpty();
        }
        assertThat(ClientRules.redirectUriProblem("com.example.app:/oauth2redirect", ApplicationType.NATIVE)).isEmpty();
    }

    @Test
    void refusedRedirects() {
        for (String uri : List.of("javascript:alert(1)", "data:text/html,x", "https://app.example.com/cb#f", "/cb",
                "https://app.example.com/*", "http://app.example.com/cb", "http://localhost.example.com/cb",
                "com.example.app:/cb", "https://app.example.com:0/cb", "not a uri")) {
            assertThat(ClientRules.redirectUriProblem(uri, ApplicationType.WEB)).as(uri).isPresent();
        }
        for (String uri : List.of("javascript:alert(1)", "myapp:/cb", "file:///etc/passwd")) {
            assertThat(ClientRules.redirectUriProblem(uri, ApplicationType.NATIVE)).as(uri).isPresent();
        }
    }

    @Test
    void violationNamesTheFieldAndEntry() {
        ClientRegistration client = new ClientRegistration("a", null, ClientType.PUBLIC, null,
                List.of("https://a.example/cb", "http://evil.example/cb"), List.of(), List.of(), Set.of("openid"), null, false,
                null, null, null, ApplicationType.WEB, false);
        assertThatThrownBy(() -> ClientRules.check(client)).isInstanceOfSatisfying(ClientRules.Violation.class, v -> {
            assertThat(v.field()).isEqualTo(ClientRules.Field.REDIRECT_URIS);
            assertThat(v.index()).isEqualTo(1);
        });
    }
}
