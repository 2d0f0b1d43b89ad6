package io.latchkey.admin.scim.users;

import io.latchkey.admin.scim.filter.Filter;
import io.latchkey.admin.scim.filter.CompareOp;
import io.latchkey.admin.scim.filter.SqlAttribute;
import io.latchkey.admin.scim.filter.SqlAttributes;
import io.latchkey.admin.scim.schema.AttributeDefinition;
import io.latchkey.admin.scim.schema.AttributeType;
import io.latchkey.admin.scim.schema.ResolvedAttribute;
import io.latchkey.model.domain.Usernames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where each User attribute is in SQL (for the engine's SqlFilter), mirroring {@link UserDocument}: the columns,
 * the SCIM document in {@code u.scim}, and for a user no SCIM client wrote yet (empty document) the claims its
 * representation is derived from, so that a filter finds what a read shows. The expressions are written here from
 * the model's names, never from what a client sent.
 */
final class UserColumns implements SqlAttributes {

    static final UserColumns INSTANCE = new UserColumns();

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9$]+");
    private static final String IMPORTED = "u.scim = '{}'::jsonb";

    /** Attributes a user no SCIM client wrote shows from its claims (UserDocument.fromClaims). */
    private static final Map<String, String> FROM_CLAIMS = Map.of(
            "name.formatted", "u.claims->>'name'",
            "name.givenName", "u.claims->>'given_name'",
            "name.familyName", "u.claims->>'family_name'",
            "name.middleName", "u.claims->>'middle_name'",
            "displayName", "u.claims->>'name'",
            "nickName", "u.claims->>'nickname'",
            "profileUrl", "u.claims->>'profile'",
            "locale", "u.claims->>'locale'",
            "timezone", "u.claims->>'zoneinfo'");
    private static final Map<String, String> ARRAYS_FROM_CLAIMS = Map.of(
            "emails", "email",
            "phoneNumbers", "phone_number");

    private UserColumns() {
    }

    @Override
    public Optional<SqlAttribute> sql(ResolvedAttribute attribute) {
        String path = attribute.canonical();
        AttributeDefinition definition = attribute.target();
        switch (path) {
            case "id":
                return Optional.of(SqlAttribute.Scalar.of("u.id", definition));
            case "externalId":
                return Optional.of(SqlAttribute.Scalar.of("u.external_id", definition));
            case "userName":
                // Compared in the canonical form the unique constraint keeps: a filter finds the account a look-alike names.
                return Optional.of(new SqlAttribute.Scalar("u.username_canonical", AttributeType.STRING, true, Usernames::canonical));
            case "active":
                return Optional.of(SqlAttribute.Scalar.of("(u.status = 'active')", definition));
            case "meta.created":
                return Optional.of(SqlAttribute.Scalar.of("u.created_at", definition));
            case "meta.lastModified":
                return Optional.of(SqlAttribute.Scalar.of("u.updated_at", definition));
            case "groups":
                return Optional.of(new SqlAttribute.ComplexArray("""
                        (SELECT jsonb_agg(jsonb_build_object('value', m.group_id, 'display', g.display_name, 'type', 'direct'))
                         FROM scim_group_members m JOIN scim_groups g ON g.id = m.group_id WHERE m.user_id = u.id)"""));
            default:
                break;
        }
        if (path.startsWith("meta.") || path.equals("password") || path.startsWith("groups.")) {
            return Optional.empty();
        }
        AttributeDefinition top = attribute.attribute();
        if (!NAME.matcher(top.name()).matches()
                || (attribute.subAttribute() != null && !NAME.matcher(attribute.subAttribute().name()).matches())) {
            return Optional.empty();
        }
        String container = attribute.extension() ? "(u.scim->'" + attribute.schema().id().replace("'", "") + "')" : "u.scim";
        if (top.multiValued()) {
            if (attribute.subAttribute() != null || !top.complex()) {
                // A sub-attribute of a multi-valued attribute: filtered through the array (ComplexArray below).
                return Optional.empty();
            }
            String array = container + "->'" + top.name() + "'";
            String claim = attribute.extension() ? null : ARRAYS_FROM_CLAIMS.get(top.name());
            if (claim != null) {
                array = "(CASE WHEN " + IMPORTED + " THEN (CASE WHEN u.claims->>'" + claim
                        + "' IS NOT NULL THEN jsonb_build_array(jsonb_build_object('value', u.claims->'" + claim
                        + "', 'primary', true)) END) ELSE " + array + " END)";
            }
            return Optional.of(new SqlAttribute.ComplexArray(array));
        }
        if (definition.complex()) {
            return Optional.empty();
        }
        String text = attribute.subAttribute() == null
                ? container + "->>'" + top.name() + "'"
                : container + "->'" + top.name() + "'->>'" + attribute.subAttribute().name() + "'";
        String claims = attribute.extension() ? null : FROM_CLAIMS.get(path);
        if (claims != null) {
            text = "CASE WHEN " + IMPORTED + " THEN " + claims + " ELSE " + text + " END";
        }
        return Optional.of(SqlAttribute.Scalar.of("(" + typed(text, definition.type()) + ")", definition));
    }

    private static String typed(String text, AttributeType type) {
        return switch (type) {
            case BOOLEAN -> "(" + text + ")::boolean";
            case INTEGER, DECIMAL -> "(" + text + ")::numeric";
            case DATE_TIME -> "(" + text + ")::timestamptz";
            default -> text;
        };
    }

    /**
     * Conditions implied by the filter that an index can answer, to AND with its translation: the EXISTS over a
     * user's emails that {@code emails.value eq "x"} becomes cannot use an index, its GIN twin
     * ({@code scim_user_emails}, V2__scim.sql) can. Only comparisons every match must satisfy (the filter itself or
     * terms of its top-level ANDs) are used, so the result is unchanged.
     */
    static List<String> indexHints(Filter filter, List<Object> parameters) {
        List<String> hints = new ArrayList<>();
        collect(filter, parameters, hints);
        return hints;
    }

    private static void collect(Filter filter, List<Object> parameters, List<String> hints) {
        if (filter instanceof Filter.And and) {
            collect(and.left(), parameters, hints);
            collect(and.right(), parameters, hints);
        } else if (filter instanceof Filter.Comparison comparison && comparison.op() == CompareOp.EQ
                && comparison.value().isTextual() && comparison.path().subAttribute() != null
                && comparison.path().attribute().equalsIgnoreCase("emails")
                && comparison.path().subAttribute().equalsIgnoreCase("value")
                && (comparison.path().urn() == null || comparison.path().urn().equalsIgnoreCase(UserDocument.USER_SCHEMA))) {
            parameters.add(comparison.value().asText());
            hints.add("scim_user_emails(u.scim, u.claims) @> ARRAY[lower($" + parameters.size() + "::text)]");
        }
    }
}
