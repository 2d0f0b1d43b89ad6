package io.latchkey.admin.scim.groups;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.OffsetDateTime;

/**
 * A group as stored.
 *
 * @param members {@code [{value, display}]}: the member users' ids and display names
 */
public record GroupRow(String id, String displayName, String externalId, long version, OffsetDateTime created,
        OffsetDateTime lastModified, ArrayNode members) {
}
