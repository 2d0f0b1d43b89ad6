package io.latchkey.model.domain;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/**
 * What kind of application a client is (OpenID Connect Dynamic Registration §2, {@code application_type}).
 * It decides how strictly redirect URIs are matched: only a native app, which opens a listener on a port
 * the operating system picks, gets the loopback port leeway of RFC 8252 §7.3. A web client's loopback
 * redirect must match exactly, or another program on the user's machine could receive its codes.
 */
public enum ApplicationType {
    /** The default (Dynamic Registration §2): a browser-based or server-side web application. */
    WEB,
    NATIVE;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type named by {@code value} ({@code web} or {@code native}, as registered). */
    public static Optional<ApplicationType> of(String value) {
        for (ApplicationType type : values()) {
            if (type.value().equals(value)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
