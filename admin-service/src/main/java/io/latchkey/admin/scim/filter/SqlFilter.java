package io.latchkey.admin.scim.filter;

import io.latchkey.admin.scim.ScimException;
import io.latchkey.admin.scim.path.AttrPath;
import io.latchkey.admin.scim.schema.AttributeDefinition;
import io.latchkey.admin.scim.schema.AttributeType;
import io.latchkey.admin.scim.schema.ResolvedAttribute;
import io.latchkey.admin.scim.schema.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Translates a {@link Filter} into a PostgreSQL WHERE condition with the semantics of {@link FilterEvaluator}, and
 * {@code sortBy} into an ORDER BY expression (RFC 7644 §3.4.2.2, §3.4.2.3). Every value the client sent is bound
 * as a parameter; the SQL text holds only the storage's expressions ({@link SqlAttributes}), operators, the
 * model's sub-attribute names and placeholders. co/sw/ew escape LIKE's wildcards; case-insensitive comparisons
 * put lower() on both sides; orderings and LIKE use the "C" collation, so results do not depend on the database's
 * locale; a NOT sees an absent value as false, not SQL's unknown, so {@code not (title eq "x")} keeps users
 * without a title as the evaluator does.
 */
public final class SqlFilter {

    private final ResourceType type;
    private final SqlAttributes attributes;

    public SqlFilter(ResourceType type, SqlAttributes attributes) {
        this.type = type;
        this.attributes = attributes;
    }

    /** The condition for {@code filter}, its parameters numbered from {@code firstParameter} ($1 is 1). */
    public SqlFragment where(Filter filter, int firstParameter) {
        Translation translation = new Translation(firstParameter);
        String sql = translation.filter(filter, null);
        return new SqlFragment(sql, translation.parameters, translation.next);
    }

    /**
     * The ORDER BY term for {@code sortBy} and {@code sortOrder} ("ascending", the default, or "descending"):
     * case-insensitive strings through lower(), a multi-valued attribute by its primary value or else its first,
     * a complex one by its {@code value} sub-attribute; resources without a value last when ascending, first when
     * descending. Unknown or unsortable attributes are 400 invalidFilter; another sortOrder 400 invalidValue.
     */
    public String orderBy(String sortBy, String sortOrder) {
        boolean descending;
        if (sortOrder == null || sortOrder.isEmpty() || sortOrder.equalsIgnoreCase("ascending")) {
            descending = false;
        } else if (sortOrder.equalsIgnoreCase("descending")) {
            descending = true;
        } else {
            throw ScimException.badRequest("invalidValue", "sortOrder is 'ascending' or 'descending'.");
        }
        AttrPath path = AttrPath.parse(sortBy, "invalidFilter");
        ResolvedAttribute target = FilterTargets.compared(FilterTargets.resolve(type, path), path);
        AttributeDefinition definition = target.target();
        String expression;
        Optional<SqlAttribute> direct = attributes.sql(target);
        if (direct.isPresent() && direct.get() instanceof SqlAttribute.Scalar scalar) {
            expression = caseFolded(scalar.expression(), scalar.type(), scalar.caseExact());
        } else if (target.attribute().multiValued() && target.subAttribute() != null
                && attributes.sql(target.parent()).orElse(null) instanceof SqlAttribute.ComplexArray array) {
            String element = "s.elem";
            expression = "(SELECT " + caseFolded(typed(element, definition), definition.type(), definition.caseExact())
                    + " FROM jsonb_array_elements(" + array.expression() + ") WITH ORDINALITY AS s(elem, n)"
                    + " ORDER BY (s.elem->'primary' = 'true'::jsonb) DESC, s.n LIMIT 1)";
        } else if (direct.isPresent() && direct.get() instanceof SqlAttribute.SimpleArray array) {
            expression = "(SELECT " + caseFolded(castText("s.v", array.type()), array.type(), array.caseExact())
                    + " FROM jsonb_array_elements_text(" + array.expression() + ") WITH ORDINALITY AS s(v, n) ORDER BY s.n LIMIT 1)";
        } else {
            throw ScimException.badRequest("invalidFilter", "Resources cannot be sorted by '" + sortBy + "'.");
        }
        return expression + (descending ? " DESC NULLS FIRST" : " ASC NULLS LAST");
    }

    private static String caseFolded(String expression, AttributeType type, boolean caseExact) {
        String text = type.textual() && !caseExact ? "lower(" + expression + ")" : expression;
        return type.textual() ? text + " COLLATE \"C\"" : text;
    }

    /** A sub-attribute of a jsonb element, in the SQL type of its SCIM type. */
    private static String typed(String element, AttributeDefinition sub) {
        return castText(element + "->>'" + sub.name() + "'", sub.type());
    }

    private static String castText(String text, AttributeType type) {
        return switch (type) {
            case BOOLEAN -> "(" + text + ")::boolean";
            case INTEGER, DECIMAL -> "(" + text + ")::numeric";
            case DATE_TIME -> "(" + text + ")::timestamptz";
            default -> "(" + text + ")";
        };
    }

    /** One translation: the parameters bound so far and the aliases of the EXISTS subqueries. */
    private final class Translation {
        private final List<Object> parameters = new ArrayList<>();
        private int next;
        private int aliases;

        Translation(int first) {
            this.next = first;
        }

        /** {@code scope}: the complex attribute whose values a bracket filter tests, null at resource level. */
        String filter(Filter filter, Scope scope) {
            if (filter instanceof Filter.And and) {
                return "(" + filter(and.left(), scope) + " AND " + filter(and.right(), scope) + ")";
            }
            if (filter instanceof Filter.Or or) {
                return "(" + filter(or.left(), scope) + " OR " + filter(or.right(), scope) + ")";
            }
            if (filter instanceof Filter.Not not) {
                // NOT of an unknown (absent value) is unknown in SQL, but true for the evaluator.
                return "(NOT coalesce(" + filter(not.filter(), scope) + ", false))";
            }
            if (filter instanceof Filter.ValuePath valuePath) {
                return valuePath(valuePath);
            }
            if (filter instanceof Filter.Present present) {
                return present(present.path(), scope);
            }
            Filter.Comparison comparison = (Filter.Comparison) filter;
            if (comparison.value().isNull()) {
                String present = present(comparison.path(), scope);
                return switch (comparison.op()) {
                    case EQ -> "(NOT " + present + ")";
                    case NE -> present;
                    default -> throw Operand.invalid(comparison.path(), "cannot be ordered against null");
                };
            }
            if (scope != null) {
                AttributeDefinition sub = FilterTargets.sub(scope.attribute(), comparison.path());
                return compare(typed(scope.element(), sub), sub.type(), sub.caseExact(), null,
                        Operand.of(sub, comparison.op(), comparison.value(), comparison.path()));
            }
            ResolvedAttribute target = FilterTargets.compared(FilterTargets.resolve(type, comparison.path()), comparison.path());
            Operand operand = Operand.of(target.target(), comparison.op(), comparison.value(), comparison.path());
            return onValues(target, comparison.path(), (expression, valueType, caseExact, normalizer) ->
                    compare(expression, valueType, caseExact, normalizer, operand));
        }

        private String valuePath(Filter.ValuePath valuePath) {
            ResolvedAttribute complex = FilterTargets.filtered(type, valuePath.path());
            if (!complex.attribute().multiValued()) {
                // A singular complex attribute: its sub-attributes are plain columns or expressions.
                return filter(prefixed(valuePath.filter(), valuePath.path()), null);
            }
            SqlAttribute.ComplexArray array = complexArray(complex, valuePath.path());
            String alias = "e" + (++aliases);
            Scope scope = new Scope(complex, alias + ".elem");
            return "EXISTS (SELECT 1 FROM jsonb_array_elements(" + array.expression() + ") AS " + alias
                    + "(elem) WHERE " + filter(valuePath.filter(), scope) + ")";
        }

        private String present(AttrPath path, Scope scope) {
            if (scope != null) {
                AttributeDefinition sub = FilterTargets.sub(scope.attribute(), path);
                return nonEmpty(typedText(scope.element(), sub), AttributeType.STRING);
            }
            ResolvedAttribute target = FilterTargets.resolve(type, path);
            if (target.attribute().complex() && target.subAttribute() == null) {
                // Present when any sub-attribute is.
                List<String> any = new ArrayList<>();
                for (AttributeDefinition sub : target.attribute().subAttributes()) {
                    if (target.attribute().multiValued()) {
                        any.add(onValues(target.withSub(sub), path, (e, t, c, n) -> nonEmpty(e, t)));
                    } else {
                        sql(target.withSub(sub)).ifPresent(s -> {
                            if (s instanceof SqlAttribute.Scalar scalar) {
                                any.add(nonEmpty(scalar.expression(), scalar.type()));
                            }
                        });
                    }
                }
                if (any.isEmpty()) {
                    throw unsupported(path);
                }
                return "(" + String.join(" OR ", any) + ")";
            }
            return onValues(target, path, (expression, valueType, caseExact, normalizer) -> nonEmpty(expression, valueType));
        }

        /** Applies {@code condition} to the SQL values of an attribute: a column, or EXISTS over a jsonb array. */
        private String onValues(ResolvedAttribute target, AttrPath path, ValueCondition condition) {
            Optional<SqlAttribute> direct = sql(target);
            if (direct.isPresent() && direct.get() instanceof SqlAttribute.Scalar scalar) {
                return condition.on(scalar.expression(), scalar.type(), scalar.caseExact(), scalar.normalizer());
            }
            if (direct.isPresent() && direct.get() instanceof SqlAttribute.SimpleArray array) {
                String alias = "e" + (++aliases);
                String value = castText(alias + ".v", array.type());
                return "EXISTS (SELECT 1 FROM jsonb_array_elements_text(" + array.expression() + ") AS " + alias
                        + "(v) WHERE " + condition.on(value, array.type(), array.caseExact(), null) + ")";
            }
            if (target.attribute().multiValued() && target.attribute().complex() && target.subAttribute() != null) {
                SqlAttribute.ComplexArray array = complexArray(target.parent(), path);
                String alias = "e" + (++aliases);
                AttributeDefinition sub = target.subAttribute();
                return "EXISTS (SELECT 1 FROM jsonb_array_elements(" + array.expression() + ") AS " + alias
                        + "(elem) WHERE " + condition.on(typed(alias + ".elem", sub), sub.type(), sub.caseExact(), null) + ")";
            }
            throw unsupported(path);
        }

        private SqlAttribute.ComplexArray complexArray(ResolvedAttribute attribute, AttrPath path) {
            if (sql(attribute).orElse(null) instanceof SqlAttribute.ComplexArray array) {
                return array;
            }
            throw unsupported(path);
        }

        private Optional<SqlAttribute> sql(ResolvedAttribute attribute) {
            return attributes.sql(attribute);
        }

        private String compare(String expression, AttributeType valueType, boolean caseExact,
                UnaryOperator<String> normalizer, Operand operand) {
            CompareOp op = operand.op();
            if (operand.type() == AttributeType.BOOLEAN || operand.type().numeric() || operand.type() == AttributeType.DATE_TIME) {
                String cast = operand.type() == AttributeType.BOOLEAN ? "boolean"
                        : operand.type().numeric() ? "numeric" : "timestamptz";
                return "(" + expression + " " + sqlOperator(op) + " " + bind(operand.value()) + "::" + cast + ")";
            }
            String value = operand.text();
            if (normalizer != null) {
                try {
                    value = normalizer.apply(value);
                } catch (IllegalArgumentException noSuchValue) {
                    // No stored value can have a form the normalizer refuses: eq matches nothing, ne anything present.
                    return op == CompareOp.NE ? nonEmpty(expression, AttributeType.STRING) : "FALSE";
                }
            }
            String left = caseExact ? expression : "lower(" + expression + ")";
            if (op.substring()) {
                String pattern = (op == CompareOp.SW ? "" : "%") + likeEscaped(value) + (op == CompareOp.EW ? "" : "%");
                String right = caseExact ? bindText(pattern) : "lower(" + bindText(pattern) + ")";
                return "(" + left + " COLLATE \"C\" LIKE " + right + " ESCAPE '\\')";
            }
            String right = caseExact ? bindText(value) : "lower(" + bindText(value) + ")";
            return "(" + left + " COLLATE \"C\" " + sqlOperator(op) + " " + right + ")";
        }

        private String bind(Object value) {
            parameters.add(value);
            return "$" + (next++);
        }

        private String bindText(String value) {
            return bind(value) + "::text";
        }

        /** A sub-attribute of a jsonb element as text, for pr. */
        private String typedText(String element, AttributeDefinition sub) {
            return "(" + element + "->>'" + sub.name() + "')";
        }
    }

    /** A filter inside brackets over a singular complex attribute, rewritten as that attribute's sub-attribute paths. */
    private static Filter prefixed(Filter filter, AttrPath parent) {
        if (filter instanceof Filter.And and) {
            return new Filter.And(prefixed(and.left(), parent), prefixed(and.right(), parent));
        }
        if (filter instanceof Filter.Or or) {
            return new Filter.Or(prefixed(or.left(), parent), prefixed(or.right(), parent));
        }
        if (filter instanceof Filter.Not not) {
            return new Filter.Not(prefixed(not.filter(), parent));
        }
        if (filter instanceof Filter.Present present) {
            return new Filter.Present(parent.withSubAttribute(present.path().attribute()));
        }
        if (filter instanceof Filter.Comparison comparison) {
            return new Filter.Comparison(parent.withSubAttribute(comparison.path().attribute()), comparison.op(),
                    comparison.value());
        }
        throw ScimException.badRequest("invalidFilter", "Invalid filter: brackets may not nest.");
    }

    /** Inside brackets: the complex attribute filtered and the SQL of the jsonb element being tested. */
    private record Scope(ResolvedAttribute attribute, String element) {
    }

    @FunctionalInterface
    private interface ValueCondition {
        String on(String expression, AttributeType type, boolean caseExact, UnaryOperator<String> normalizer);
    }

    private static String nonEmpty(String expression, AttributeType type) {
        return type.textual() ? "(" + expression + " IS NOT NULL AND " + expression + " <> '')"
                : "(" + expression + " IS NOT NULL)";
    }

    private static String sqlOperator(CompareOp op) {
        return switch (op) {
            case EQ -> "=";
            case NE -> "<>";
            case GT -> ">";
            case GE -> ">=";
            case LT -> "<";
            case LE -> "<=";
            default -> throw new IllegalStateException(op + " is not an ordering");
        };
    }

    /** LIKE's wildcards and its escape character, escaped: the client's value matches only itself. */
    static String likeEscaped(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static ScimException unsupported(AttrPath path) {
        return ScimException.badRequest("invalidFilter", "Invalid filter: resources cannot be filtered on '" + path + "'.");
    }
}
