package io.latchkey.admin.scim.filter;

import io.latchkey.admin.scim.schema.AttributeDefinition;
import io.latchkey.admin.scim.schema.AttributeType;
import java.util.function.UnaryOperator;

/**
 * Where storage keeps an attribute, as {@link SqlAttributes} answers for {@link SqlFilter}. Expressions are SQL
 * written by the storage code (column names, jsonb paths), never anything a client sent.
 */
public sealed interface SqlAttribute {

    /**
     * One value per row: a column or an expression of type text (string, reference, binary), boolean, numeric
     * (integer, decimal) or timestamptz (dateTime). {@code caseExact}: compare as stored (a canonical column)
     * rather than through lower(). {@code normalizer}, if not null, is applied to a bound string before it is
     * compared (e.g. the canonical form of a userName), and may throw IllegalArgumentException for a value that
     * can have no match.
     */
    record Scalar(String expression, AttributeType type, boolean caseExact, UnaryOperator<String> normalizer)
            implements SqlAttribute {

        /** The expression, typed and case-exact as the model defines the attribute. */
        public static Scalar of(String expression, AttributeDefinition definition) {
            return new Scalar(expression, definition.type(), definition.caseExact(), null);
        }
    }

    /**
     * A jsonb array of objects, the values of a multi-valued complex attribute (emails, members...): filters
     * become EXISTS over {@code jsonb_array_elements}, a sub-attribute read as {@code elem->>'name'} in the
     * model's spelling, typed and case-exact as the model defines it. The expression may be SQL NULL (no values).
     */
    record ComplexArray(String expression) implements SqlAttribute {
    }

    /** A jsonb array of simple values (schemas): EXISTS over {@code jsonb_array_elements_text}. */
    record SimpleArray(String expression, AttributeType type, boolean caseExact) implements SqlAttribute {
    }
}
