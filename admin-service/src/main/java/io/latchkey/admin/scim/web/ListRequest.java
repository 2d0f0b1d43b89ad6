package io.latchkey.admin.scim.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.admin.scim.ScimException;
import io.latchkey.admin.scim.schema.ScimJson;
import io.latchkey.admin.scim.schema.ScimSchemas;
import java.util.ArrayList;
import java.util.List;

/**
 * A query of a collection (RFC 7644 §3.4.2), from GET's query parameters or a POST .search body (§3.4.3):
 * {@code startIndex} is 1-based (below 1 counts as 1), {@code count} is capped at {@link #MAX_COUNT} (the list then
 * says how many it holds, as §3.4.2.4 allows) and {@code count=0} asks for totalResults alone.
 */
public record ListRequest(String filter, String sortBy, String sortOrder, int startIndex, int count,
        String attributes, String excludedAttributes) {

    public static final int DEFAULT_COUNT = 100;
    public static final int MAX_COUNT = 200;

    public ListRequest {
        startIndex = Math.max(1, startIndex);
        count = Math.min(MAX_COUNT, Math.max(0, count));
    }

    public static ListRequest of(String filter, String sortBy, String sortOrder, String startIndex, String count,
            String attributes, String excludedAttributes) {
        return new ListRequest(blankToNull(filter), blankToNull(sortBy), blankToNull(sortOrder),
                integer("startIndex", startIndex, 1), integer("count", count, DEFAULT_COUNT),
                blankToNull(attributes), blankToNull(excludedAttributes));
    }

    /** A SearchRequest body (§3.4.3). */
    public static ListRequest of(ObjectNode search) {
        JsonNode schemas = ScimJson.field(search, "schemas");
        boolean declared = false;
        if (schemas != null && schemas.isArray()) {
            for (JsonNode schema : schemas) {
                declared |= schema.isTextual() && schema.asText().equalsIgnoreCase(ScimSchemas.SEARCH_REQUEST);
            }
        }
        if (!declared) {
            throw ScimException.badRequest("invalidSyntax", "A search request's schemas must be [\"" + ScimSchemas.SEARCH_REQUEST + "\"].");
        }
        return new ListRequest(text(search, "filter"), text(search, "sortBy"), text(search, "sortOrder"),
                number(search, "startIndex", 1), number(search, "count", DEFAULT_COUNT),
                names(search, "attributes"), names(search, "excludedAttributes"));
    }

    private static String text(ObjectNode search, String name) {
        JsonNode value = ScimJson.field(search, name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ScimException.badRequest("invalidValue", name + " must be a string.");
        }
        return blankToNull(value.asText());
    }

    private static int number(ObjectNode search, String name, int otherwise) {
        JsonNode value = ScimJson.field(search, name);
        if (value == null || value.isNull()) {
            return otherwise;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw ScimException.badRequest("invalidValue", name + " must be an integer.");
        }
        return value.intValue();
    }

    /** attributes and excludedAttributes: an array of names in a search request, a comma-separated list in a query. */
    private static String names(ObjectNode search, String name) {
        JsonNode value = ScimJson.field(search, name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return blankToNull(value.asText());
        }
        if (!value.isArray()) {
            throw ScimException.badRequest("invalidValue", name + " must be an array of attribute names.");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw ScimException.badRequest("invalidValue", name + " must be an array of attribute names.");
            }
            names.add(element.asText());
        }
        return names.isEmpty() ? null : String.join(",", names);
    }

    private static int integer(String name, String value, int otherwise) {
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ScimException.badRequest("invalidValue", name + " must be an integer.");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
