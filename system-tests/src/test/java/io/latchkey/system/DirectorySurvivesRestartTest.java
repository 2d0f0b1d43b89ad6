package io.latchkey.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testing.TestRedis;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Users, clients and consents live in PostgreSQL: after both services are restarted and Redis has lost
 * everything it held, the user signs in with their password and the consent they gave before is still
 * remembered, so no consent page is shown.
 */
class DirectorySurvivesRestartTest {

    @Test
    void restartOfBothServicesAndALostRedisThenUsersClientsAndConsentsRemain() {
        try (Stack before = Stack.start(1)) {
            Grants.mint(before); // signs in as alice and approves the consent page
            assertThat(new FormDriver().loginOnce(Grants.authorizationRequest(before), Stack.USERNAME, Stack.PASSWORD).statusCode())
                    .as("consent remembered before the restart").isEqualTo(303);
        }
        TestRedis.get().command("FLUSHALL");

        try (Stack after = Stack.start(1)) {
            HttpResponse<String> login = new FormDriver().loginOnce(Grants.authorizationRequest(after), Stack.USERNAME, Stack.PASSWORD);
            assertThat(login.statusCode()).as("signed in, and straight back: no consent page; %s", login.body()).isEqualTo(303);
            assertThat(login.headers().firstValue("Location").orElseThrow()).contains("code=");
        }
    }

}
