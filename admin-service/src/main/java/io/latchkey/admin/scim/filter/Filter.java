package io.latchkey.admin.scim.filter;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.admin.scim.path.AttrPath;

/**
 * A parsed SCIM filter (RFC 7644 §3.4.2.2), as {@link FilterParser} builds it. Syntax only: the attribute paths are
 * resolved against a resource type by {@link FilterEvaluator} and {@link SqlFilter}.
 */
public sealed interface Filter {

    /** {@code left and right}. */
    record And(Filter left, Filter right) implements Filter {
    }

    /** {@code left or right}. */
    record Or(Filter left, Filter right) implements Filter {
    }

    /** {@code not (filter)}. */
    record Not(Filter filter) implements Filter {
    }

    /** {@code path pr}: the attribute has a value that is not null nor empty. */
    record Present(AttrPath path) implements Filter {
    }

    /**
     * {@code path op value}; the value is a JSON string, number, boolean or null (Jackson's TextNode, numeric node,
     * BooleanNode, NullNode).
     */
    record Comparison(AttrPath path, CompareOp op, JsonNode value) implements Filter {
    }

    /**
     * {@code path[filter]}: one value of a multi-valued complex attribute (or the value of a singular complex
     * one) matches {@code filter}, whose paths name sub-attributes ({@code emails[type eq "work"]}).
     */
    record ValuePath(AttrPath path, Filter filter) implements Filter {
    }
}
