package io.latchkey.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.latchkey.testing.TestRedis;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The services share only Redis: a code minted by authorize-service is redeemed at any token-service
 * replica, and losing a replica loses nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedRedisTest {

    private static Stack stack;

    @BeforeAll
    static void start() {
        stack = Stack.start(2);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private record Minted(OidcClient client, OidcClient.Attempt attempt, com.nimbusds.oauth2.sdk.AuthorizationCode code) {
    }

    private Minted mint() throws Exception {
        String redirect = "http://127.0.0.1:" + TestRedis.freePort() + "/callback";
        OidcClient client = new OidcClient(stack.issuer, Stack.NATIVE_CLIENT, redirect);
        OidcClient.Attempt attempt = client.newAttempt();
        URI callback = new FormDriver().authorize(attempt.request().toURI(), redirect, Stack.USERNAME, Stack.PASSWORD);
        return new Minted(client, attempt, client.parseCallback(callback).getAuthorizationCode());
    }

    private static URI tokenEndpoint(int replica) {
        return URI.create(stack.tokenUrl(replica) + "/token");
    }

    @Test
    @Order(1)
    void codeMintedByAuthorizeServiceIsRedeemedAtEitherTokenReplica() throws Exception {
        for (int replica = 0; replica < 2; replica++) {
            Minted minted = mint();
            TokenResponse response = minted.client().exchange(tokenEndpoint(replica), minted.code(), minted.attempt().verifier());
            assertThat(response.indicatesSuccess()).as("replica %d: %s", replica, response).isTrue();
        }
    }

    /** Runs last: it kills a replica of the stack the class shares. */
    @Test
    @Order(2)
    void killingOneTokenReplicaMidRunLosesNoUnredeemedCode() throws Exception {
        List<Minted> pending = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pending.add(mint());
        }
        // One code is redeemed at the replica that is about to die, the rest after it is gone.
        Minted first = pending.remove(0);
        assertThat(first.client().exchange(tokenEndpoint(0), first.code(), first.attempt().verifier()).indicatesSuccess()).isTrue();

        stack.tokens.get(0).kill();

        for (Minted minted : pending) {
            TokenResponse response = minted.client().exchange(tokenEndpoint(1), minted.code(), minted.attempt().verifier());
            assertThat(response.indicatesSuccess()).as(String.valueOf(response)).isTrue();
            // The surviving replica signs with the keys every replica shares through Redis.
            var idToken = ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens().getIDToken();
            new IDTokenValidator(new Issuer(stack.issuer), minted.client().clientId, JWSAlgorithm.RS256,
                    URI.create(stack.tokenUrl(1) + "/jwks").toURL()).validate(idToken, minted.attempt().nonce());
        }
    }
}
