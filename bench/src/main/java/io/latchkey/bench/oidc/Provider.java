package io.latchkey.bench.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.bench.load.Http;
import java.time.Duration;
import java.util.Map;

/** The endpoints of an OpenID provider, read from its discovery document (OIDC Discovery §4). */
public record Provider(String issuer, String authorizationEndpoint, String tokenEndpoint) {

    static final ObjectMapper JSON = new ObjectMapper();

    public static Provider discover(Http http, String issuer) {
        String url = issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration";
        Http.Response response = http.get(url, Map.of("Accept", "application/json"))
                .toCompletionStage().toCompletableFuture()
                .orTimeout(Duration.ofSeconds(30).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .join();
        if (response.status() != 200) {
            throw new IllegalStateException(url + " answered " + response.status());
        }
        try {
            JsonNode doc = JSON.readTree(response.body());
            return new Provider(doc.path("issuer").asText(), required(doc, "authorization_endpoint"), required(doc, "token_endpoint"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(url + " is not JSON: " + e.getMessage(), e);
        }
    }

    private static String required(JsonNode doc, String name) {
        String value = doc.path(name).asText("");
        if (value.isEmpty()) {
            throw new IllegalStateException("the discovery document has no " + name);
        }
        return value;
    }
}
