package io.latchkey.authorize;

import static io.latchkey.authorize.TestBrowser.redirectBase;
import static io.latchkey.authorize.TestBrowser.redirectParams;
import static io.latchkey.authorize.TestBrowser.validRequest;
import static io.latchkey.authorize.TestBrowser.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.text.Normalizer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 4: a username is one account however it is spelt (RFC 8265 UsernameCaseMapped), so a
 * look-alike cannot be a second account, and what the profile refuses signs nobody in.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class LookAlikeUsernameTest {

    private static final Map<String, String> FIRST_PARTY = with(with(validRequest(), "client_id", "first-party"),
            "redirect_uri", "https://own.example.com/callback");

    private static Response signIn(String username, String password) {
        TestBrowser browser = new TestBrowser();
        return browser.login(browser.authorize(FIRST_PARTY), username, password);
    }

    private static void assertSignedIn(Response response) {
        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(redirectBase(response)).isEqualTo("https://own.example.com/callback");
        assertThat(redirectParams(response)).containsKey("code");
    }

    @Test
    void loginWhenUsernameIsFullwidthOrOtherCaseThenTheSameAccountSignsIn() {
        assertSignedIn(signIn("\uFF41\uFF4C\uFF49\uFF43\uFF45", "alice-password"));
        assertSignedIn(signIn("Alice", "alice-password"));
        assertSignedIn(signIn("\uFF21\uFF2C\uFF29\uFF23\uFF25", "alice-password"));
    }

    @Test
    void loginWhenUsernameIsDecomposedThenTheComposedAccountSignsIn() {
        String nfd = Normalizer.normalize("caf\u00e9", Normalizer.Form.NFD);
        assertSignedIn(signIn(nfd, "cafe-password"));
        assertSignedIn(signIn("CAF\u00c9", "cafe-password"));
    }

    @Test
    void loginWhenUsernameHasACharacterTheProfileRefusesThenGenericFailure() {
        for (String lookAlike : new String[] {"ali\u200dce", "alice\u2163", "al ice"}) {
            Response response = signIn(lookAlike, "alice-password");
            assertThat(response.statusCode()).as(lookAlike).isEqualTo(401);
            assertThat(response.getHeader("Location")).isNull();
        }
    }
}
