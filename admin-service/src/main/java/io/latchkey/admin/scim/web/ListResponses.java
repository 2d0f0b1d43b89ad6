package io.latchkey.admin.scim.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.admin.scim.schema.ScimSchemas;
import java.util.List;

/** A ListResponse (RFC 7644 §3.4.2): the total of matches, and the page asked for. */
public final class ListResponses {

    private ListResponses() {
    }

    public static ObjectNode of(long totalResults, int startIndex, List<? extends JsonNode> resources) {
        ObjectNode list = JsonNodeFactory.instance.objectNode();
        list.putArray("schemas").add(ScimSchemas.LIST_RESPONSE);
        list.put("totalResults", totalResults);
        list.put("startIndex", startIndex);
        list.put("itemsPerPage", resources.size());
        ArrayNode page = list.putArray("Resources");
        resources.forEach(page::add);
        return list;
    }
}
