package io.latchkey.model.domain;

import com.fasterxml.jackson.annotation.JsonValue;

/** RFC 6749 §2.1: whether a client can keep a secret. SPAs and native apps are public. */
public enum ClientType {
    PUBLIC,
    CONFIDENTIAL;

    @JsonValue
    public String value() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
