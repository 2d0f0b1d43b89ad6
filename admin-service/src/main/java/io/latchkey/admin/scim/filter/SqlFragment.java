package io.latchkey.admin.scim.filter;

import java.util.List;

/**
 * A parameterized SQL condition: {@code sql} refers to the values as {@code $n}, numbered from the first parameter
 * the caller gave; {@code parameters} are those values in order (String, Boolean, BigDecimal, OffsetDateTime), to
 * be bound, e.g. {@code Tuple.from(parameters)}. No value a client sent is ever part of {@code sql}.
 */
public record SqlFragment(String sql, List<Object> parameters, int nextParameter) {

    public SqlFragment {
        parameters = List.copyOf(parameters);
    }
}
