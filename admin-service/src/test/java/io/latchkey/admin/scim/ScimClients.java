package io.latchkey.admin.scim;

import com.unboundid.scim2.client.ScimService;
import io.latchkey.admin.TestTokens;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import java.net.URI;
import org.glassfish.jersey.client.ClientConfig;
import org.glassfish.jersey.client.JerseyClientBuilder;
import org.glassfish.jersey.jnh.connector.JavaNetHttpConnectorProvider;

/**
 * The UnboundID SCIM 2 SDK's client over Jersey, with a Bearer token of the test key: the provisioning tests
 * talk to admin-service as a SCIM client someone else wrote would.
 */
final class ScimClients {

    private ScimClients() {
    }

    /**
     * Jersey is named rather than found through {@link ClientBuilder#newBuilder()}: that looks the implementation up
     * among the service files on the class path, which a Quarkus test application may answer differently.
     */
    static Client jersey(String bearer) {
        // JDK's HttpClient underneath: Jersey's default HttpURLConnection refuses the PATCH method.
        ClientConfig config = new ClientConfig().connectorProvider(new JavaNetHttpConnectorProvider());
        return new JerseyClientBuilder().withConfig(config)
                .register((jakarta.ws.rs.client.ClientRequestFilter) request ->
                        request.getHeaders().putSingle("Authorization", bearer))
                .build();
    }

    static ScimService service(URI scimRoot, String... scopes) {
        return new ScimService(jersey(TestTokens.bearer("provisioner", scopes)).target(scimRoot));
    }
}
