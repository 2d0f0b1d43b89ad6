package io.latchkey.admin.registration;

import io.latchkey.model.domain.ClientType;
import java.util.Arrays;
import java.util.Optional;

/**
 * The {@code token_endpoint_auth_method} values a registration may ask for (RFC 7591 §2), the ones token-service
 * accepts: none for a public client, a client secret in the Authorization header or in the body for a confidential
 * one. Methods with keys or certificates (private_key_jwt, client_secret_jwt, tls_client_auth) are not offered.
 */
public enum TokenEndpointAuthMethod {
    NONE("none"),
    CLIENT_SECRET_BASIC("client_secret_basic"),
    CLIENT_SECRET_POST("client_secret_post");

    private final String value;

    TokenEndpointAuthMethod(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public ClientType clientType() {
        return this == NONE ? ClientType.PUBLIC : ClientType.CONFIDENTIAL;
    }

    public static Optional<TokenEndpointAuthMethod> of(String value) {
        return Arrays.stream(values()).filter(m -> m.value.equals(value)).findFirst();
    }

    /** What a client registered otherwise (in the realm file) is reported with: the RFC 7591 default for a secret. */
    public static TokenEndpointAuthMethod implied(ClientType type) {
        return type == ClientType.PUBLIC ? NONE : CLIENT_SECRET_BASIC;
    }
}
