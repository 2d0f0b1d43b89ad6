package io.latchkey.admin.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.admin.scim.schema.ScimSchemas;
import java.util.List;

/** SCIM's ListResponse (RFC 7644 §3.4.2): one page of resources and where it sits in the whole. */
public final class ListResponse {

    /** The most resources one page holds; ServiceProviderConfig announces it as filter.maxResults. */
    public static final int MAX_RESULTS = 200;

    private ListResponse() {
    }

    /** A page of {@code resources} out of {@code totalResults}, the first being number {@code startIndex} (1-based). */
    public static ObjectNode of(List<? extends JsonNode> resources, long totalResults, long startIndex) {
        ObjectNode list = JsonNodeFactory.instance.objectNode();
        list.putArray("schemas").add(ScimSchemas.LIST_RESPONSE);
        list.put("totalResults", totalResults);
        list.put("itemsPerPage", resources.size());
        list.put("startIndex", startIndex);
        list.putArray("Resources").addAll(resources);
        return list;
    }

    /** Every resource on one page. */
    public static ObjectNode all(List<? extends JsonNode> resources) {
        return of(resources, resources.size(), 1);
    }
}
