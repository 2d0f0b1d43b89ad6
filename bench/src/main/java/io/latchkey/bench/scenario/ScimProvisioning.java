package io.latchkey.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.bench.load.Failure;
import io.latchkey.bench.load.Http;
import io.latchkey.bench.load.LoadRun;
import io.latchkey.bench.load.Measurement;
import io.latchkey.bench.server.ServerMeter;
import io.vertx.core.Future;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * admin-service's SCIM at the size of the large directory, as a provisioning client (Okta, Entra ID) uses it:
 * a lookup by userName, which every sync does before it creates or updates, and a listing by prefix; then
 * creations with a password, bounded by hashing. Past the hashing pool admin-service answers 503 with Retry-After,
 * which SCIM clients retry: those are counted apart ({@code retry-after}); any other 5xx is an error.
 *
 * @param adminUrl where admin-service answers
 * @param token    an access token with the {@code scim} scope
 * @param users    how many {@code bench-user-<i>} the directory holds
 */
public record ScimProvisioning(Http http, String adminUrl, String token, long users) {

    public static final String LOOKUP = "SCIM list, filter userName eq";
    public static final String PREFIX = "SCIM list, filter userName sw, 10 per page";
    public static final String CREATE = "SCIM create with a password";
    private static final String SCIM_JSON = "application/scim+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong CREATED = new AtomicLong();

    /** One user found by its exact name, a random one of {@code users}. */
    public Measurement lookup(LoadRun.Settings settings, ServerMeter meter) {
        Measurement measured = new Measurement();
        LoadRun.phase(http.vertx(), settings, user -> list("userName eq \"bench-user-" + random() + "\"", 1, 1), meter, measured);
        return measured;
    }

    /** The first page of the users whose names start with a random prefix that eleven or more share. */
    public Measurement prefix(LoadRun.Settings settings, ServerMeter meter) {
        Measurement measured = new Measurement();
        // bench-user-k for 1 <= k < users/10 is the prefix of k and k0..k9 at least: eleven users.
        LoadRun.phase(http.vertx(), settings,
                user -> list("userName sw \"bench-user-" + (1 + ThreadLocalRandom.current().nextLong(users / 10 - 1)) + "\"", 10, 10),
                meter, measured);
        return measured;
    }

    /** Creations of new users with a password, each hashed with Argon2id. */
    public Measurement create(LoadRun.Settings settings, ServerMeter meter) {
        Measurement measured = new Measurement();
        long run = System.nanoTime();
        LoadRun.phase(http.vertx(), settings, user -> {
            String name = "scim-bench-" + run + "-" + CREATED.incrementAndGet();
            String body = "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"" + name
                    + "\",\"password\":\"" + name + "-Pa55word!\",\"emails\":[{\"value\":\"" + name
                    + "@bench.example\",\"primary\":true}]}";
            return http.postJson(adminUrl + "/scim/v2/Users", headers(), SCIM_JSON, body).map(response -> {
                if (response.status() == 503 && response.headers().get("Retry-After") != null) {
                    throw new Failure("retry-after");
                }
                if (response.status() != 201) {
                    throw new Failure("scim: http " + response.status());
                }
                return response;
            });
        }, meter, measured);
        return measured;
    }

    private Future<?> list(String filter, int count, int atLeast) {
        String uri = adminUrl + "/scim/v2/Users?count=" + count + "&filter=" + Http.encode(filter);
        return http.get(uri, headers()).map(response -> {
            if (response.status() != 200) {
                throw new Failure("scim: http " + response.status());
            }
            JsonNode body;
            try {
                body = JSON.readTree(response.body());
            } catch (IOException e) {
                throw new Failure("scim: not JSON");
            }
            if (body.path("Resources").size() < atLeast) {
                throw new Failure("scim: fewer results than the directory holds");
            }
            return body;
        });
    }

    private Map<String, String> headers() {
        return Map.of("Authorization", "Bearer " + token, "Accept", SCIM_JSON);
    }

    private long random() {
        return ThreadLocalRandom.current().nextLong(users);
    }
}
