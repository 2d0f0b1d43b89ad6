package io.latchkey.admin.scim.users;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;

/**
 * A directory user as SCIM reads it: the columns of {@code users} and the groups they belong to.
 *
 * @param scim   the SCIM attributes the client last wrote beyond the columns (name, emails, extensions...)
 * @param claims the OpenID Connect claims tokens release
 * @param groups {@code [{value, display}]} of the groups with this user as a member
 */
public record UserRow(String id, String userName, boolean active, String externalId, long version,
        OffsetDateTime created, OffsetDateTime lastModified, ObjectNode scim, ObjectNode claims, ArrayNode groups) {
}
