package io.latchkey.admin.scim.groups;

import io.latchkey.admin.scim.filter.SqlAttribute;
import io.latchkey.admin.scim.filter.SqlAttributes;
import io.latchkey.admin.scim.schema.ResolvedAttribute;
import java.util.Optional;

/** Where each Group attribute is in SQL, for the engine's SqlFilter ({@code g} is {@code scim_groups}). */
final class GroupColumns implements SqlAttributes {

    static final GroupColumns INSTANCE = new GroupColumns();

    private GroupColumns() {
    }

    @Override
    public Optional<SqlAttribute> sql(ResolvedAttribute attribute) {
        return switch (attribute.canonical()) {
            case "id" -> Optional.of(SqlAttribute.Scalar.of("g.id", attribute.target()));
            case "externalId" -> Optional.of(SqlAttribute.Scalar.of("g.external_id", attribute.target()));
            case "displayName" -> Optional.of(SqlAttribute.Scalar.of("g.display_name", attribute.target()));
            case "meta.created" -> Optional.of(SqlAttribute.Scalar.of("g.created_at", attribute.target()));
            case "meta.lastModified" -> Optional.of(SqlAttribute.Scalar.of("g.updated_at", attribute.target()));
            case "members" -> Optional.of(new SqlAttribute.ComplexArray("""
                    (SELECT jsonb_agg(jsonb_build_object('value', m.user_id, 'type', 'User',
                            'display', coalesce(u.scim ->> 'displayName', u.claims ->> 'name', u.username)))
                     FROM scim_group_members m JOIN users u ON u.id = m.user_id WHERE m.group_id = g.id)"""));
            default -> Optional.empty();
        };
    }
}
