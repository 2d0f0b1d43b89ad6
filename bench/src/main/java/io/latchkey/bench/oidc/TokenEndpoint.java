package io.latchkey.bench.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.bench.load.Failure;
import io.latchkey.bench.load.Http;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The three grants the scenarios use, as a client sends them (RFC 6749 §4.1.3, §6, §4.4; RFC 7636 §4.5), the first two
 * also with a DPoP proof (RFC 9449 §5).
 */
public final class TokenEndpoint {

    private final Http http;
    private final Provider provider;

    public TokenEndpoint(Http http, Provider provider) {
        this.http = http;
        this.provider = provider;
    }

    public Future<TokenSet> exchange(String clientId, String redirectUri, String code, String verifier) {
        Map<String, String> form = exchangeForm(clientId, redirectUri, code, verifier);
        return post(Map.of(), form, true);
    }

    private static Map<String, String> exchangeForm(String clientId, String redirectUri, String code, String verifier) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri);
        form.put("client_id", clientId);
        form.put("code_verifier", verifier);
        return form;
    }

    public Future<TokenSet> refresh(String clientId, String refreshToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        form.put("client_id", clientId);
        return post(Map.of(), form, false).map(tokens -> {
            if (tokens.refreshToken() == null) {
                throw new Failure("no refresh_token in refresh response");
            }
            return tokens;
        });
    }

    /** The code exchange with a proof by {@code key}: the answer must be a DPoP token (RFC 9449 §5). */
    public Future<TokenSet> exchange(String clientId, String redirectUri, String code, String verifier, DpopKey key) {
        Map<String, String> form = exchangeForm(clientId, redirectUri, code, verifier);
        return postWithProof(form, true, key, false);
    }

    /**
     * A refresh with a proof by {@code key}, which a public client's DPoP-bound refresh token needs (RFC 9449 §5). Such
     * a token need not rotate (the key protects it), so an answer without a refresh token keeps the one presented.
     */
    public Future<TokenSet> refresh(String clientId, String refreshToken, DpopKey key) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        form.put("client_id", clientId);
        return postWithProof(form, false, key, false).map(tokens -> tokens.refreshToken() != null ? tokens
                : new TokenSet(tokens.accessToken(), tokens.idToken(), refreshToken));
    }

    public Future<TokenSet> clientCredentials(String clientId, String secret) {
        // RFC 6749 §2.3.1: the id and secret are form-encoded before they are joined for Basic.
        String basic = Base64.getEncoder().encodeToString((Http.encode(clientId) + ":" + Http.encode(secret))
                .getBytes(StandardCharsets.UTF_8));
        return post(Map.of("Authorization", "Basic " + basic), Map.of("grant_type", "client_credentials"), false);
    }

    private Future<TokenSet> post(Map<String, String> headers, Map<String, String> form, boolean idTokenDue) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Accept", "application/json");
        return http.postForm(provider.tokenEndpoint(), all, form).map(response -> tokens(response, json(response), idTokenDue));
    }

    /**
     * One request with a fresh proof. The server's nonce is kept from every answer (RFC 9449 §8.2); a
     * {@code use_dpop_nonce} refusal is answered once, by the same request with a proof that carries it (§8), as
     * oidc-client-ts does. The retry is part of the operation, as it is for a browser app.
     */
    private Future<TokenSet> postWithProof(Map<String, String> form, boolean idTokenDue, DpopKey key, boolean nonceAnswered) {
        Map<String, String> headers = Map.of("Accept", "application/json",
                "DPoP", key.proof("POST", provider.tokenEndpoint(), null));
        return http.postForm(provider.tokenEndpoint(), headers, form).compose(response -> {
            key.nonce(response.headers().get("DPoP-Nonce"));
            JsonNode body = json(response);
            if (!nonceAnswered && response.status() == 400 && "use_dpop_nonce".equals(body.path("error").asText())) {
                return postWithProof(form, idTokenDue, key, true);
            }
            TokenSet tokens = tokens(response, body, idTokenDue);
            // RFC 9449 §5: a server that ignored the proof answers Bearer; the scenario would not measure DPoP.
            if (!"DPoP".equalsIgnoreCase(body.path("token_type").asText())) {
                throw new Failure("token: token_type " + body.path("token_type").asText("(none)") + ", not DPoP");
            }
            return Future.succeededFuture(tokens);
        });
    }

    private static TokenSet tokens(Http.Response response, JsonNode body, boolean idTokenDue) {
        if (response.status() != 200) {
            throw new Failure("token: http " + response.status() + " " + body.path("error").asText("(no error code)"));
        }
        String access = body.path("access_token").asText(null);
        String id = body.path("id_token").asText(null);
        if (access == null || (idTokenDue && id == null)) {
            throw new Failure("token: incomplete response");
        }
        return new TokenSet(access, id, body.path("refresh_token").asText(null));
    }

    private static JsonNode json(Http.Response response) {
        try {
            return Provider.JSON.readTree(response.body());
        } catch (java.io.IOException | RuntimeException e) {
            throw new Failure("token: http " + response.status() + " not JSON");
        }
    }
}
