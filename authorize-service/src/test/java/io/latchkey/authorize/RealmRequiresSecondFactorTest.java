package io.latchkey.authorize;

import static io.latchkey.authorize.TestBrowser.validRequest;
import static io.latchkey.authorize.TestBrowser.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A realm that requires a second factor binds every client, even one whose own setting is off. */
@QuarkusTest
@TestProfile(RealmRequiresSecondFactorTest.Required.class)
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class RealmRequiresSecondFactorTest {

    public static class Required implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("latchkey.login.second-factor", "required");
        }
    }

    @Test
    void passwordSignInWhenRealmRequiresASecondFactorThenEnrolmentEvenAtAClientWhosePolicyIsOff() {
        TestBrowser browser = new TestBrowser();
        Map<String, String> kiosk = with(with(validRequest(), "client_id", "no-mfa-app"), "redirect_uri",
                "https://kiosk.example.com/callback");
        Response next = browser.login(browser.authorize(kiosk), "bob", "bob-password");

        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.getHeader("Location")).isNull();
        assertThat(next.asString()).contains("action=\"/login/totp-enrolment\"");
        assertThat(browser.cookies).doesNotContainKey("__Host-lk_session");
    }
}
