package io.latchkey.admin.scim.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.admin.scim.ScimException;

/**
 * Reads request bodies and writes SCIM documents. A body that is not one JSON object is 400 invalidSyntax
 * (RFC 7644 §3.12), before anything else looks at it; duplicate member names are refused rather than letting the
 * last one silently win.
 */
public final class ScimBodies {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ScimBodies() {
    }

    public static ObjectNode object(String body) {
        if (body == null || body.isBlank()) {
            throw ScimException.badRequest("invalidSyntax", "The request has no body; a JSON object is expected.");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ScimException.badRequest("invalidSyntax", "The body is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw ScimException.badRequest("invalidSyntax", "The body is not a JSON object.");
        }
        return object;
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a SCIM document did not serialise", e);
        }
    }
}
