package io.latchkey.admin.scim.filter;

import io.latchkey.admin.scim.schema.ResolvedAttribute;
import java.util.Optional;

/**
 * Storage's map from the model's attributes to SQL, for {@link SqlFilter}. It is asked for the most specific path
 * first ({@code name.familyName}, {@code emails.value}) and, for a sub-attribute of a multi-valued complex
 * attribute it has no Scalar for, for the attribute ({@code emails}, expecting a ComplexArray). Empty means
 * storage cannot filter or sort on it: the client gets 400 invalidFilter.
 */
@FunctionalInterface
public interface SqlAttributes {

    Optional<SqlAttribute> sql(ResolvedAttribute attribute);
}
