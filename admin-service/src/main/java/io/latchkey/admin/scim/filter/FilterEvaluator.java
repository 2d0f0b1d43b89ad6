package io.latchkey.admin.scim.filter;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.admin.scim.path.AttrPath;
import io.latchkey.admin.scim.schema.AttributeDefinition;
import io.latchkey.admin.scim.schema.AttributeType;
import io.latchkey.admin.scim.schema.ResolvedAttribute;
import io.latchkey.admin.scim.schema.ResourceType;
import io.latchkey.admin.scim.schema.ScimDateTime;
import io.latchkey.admin.scim.schema.ScimJson;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Evaluates a {@link Filter} against a SCIM resource in JSON, with the model's semantics (RFC 7644 §3.4.2.2):
 * strings compare case-insensitively unless the attribute is caseExact; a multi-valued attribute matches when
 * any of its values does; {@code pr} wants a value that is not null nor empty; gt/ge/lt/le order strings
 * lexically (by UTF-16 unit, as PostgreSQL's "C" collation orders ASCII), dateTimes chronologically and numbers
 * numerically; a missing attribute matches no comparison, {@code ne} included. {@link SqlFilter} implements the
 * same semantics in SQL; the two are tested against each other.
 */
public final class FilterEvaluator {

    private final ResourceType type;

    public FilterEvaluator(ResourceType type) {
        this.type = type;
    }

    public boolean matches(Filter filter, JsonNode resource) {
        return compile(filter).test(resource);
    }

    /** The filter checked against the model once (unknown attributes and bad values fail here), for many resources. */
    public Predicate<JsonNode> compile(Filter filter) {
        return compile(filter, null);
    }

    /**
     * A predicate on one value of a complex attribute, for PATCH's {@code emails[type eq "work"]}: the filter's
     * names are that attribute's sub-attributes.
     */
    public Predicate<JsonNode> compileValueFilter(ResolvedAttribute complex, Filter filter) {
        return compile(filter, complex);
    }

    private Predicate<JsonNode> compile(Filter filter, ResolvedAttribute scope) {
        if (filter instanceof Filter.And and) {
            Predicate<JsonNode> left = compile(and.left(), scope);
            Predicate<JsonNode> right = compile(and.right(), scope);
            return r -> left.test(r) && right.test(r);
        }
        if (filter instanceof Filter.Or or) {
            Predicate<JsonNode> left = compile(or.left(), scope);
            Predicate<JsonNode> right = compile(or.right(), scope);
            return r -> left.test(r) || right.test(r);
        }
        if (filter instanceof Filter.Not not) {
            return compile(not.filter(), scope).negate();
        }
        if (filter instanceof Filter.Present present) {
            Function<JsonNode, List<JsonNode>> values = values(present.path(), scope, false).values();
            return r -> values.apply(r).stream().anyMatch(v -> !ScimJson.empty(v));
        }
        if (filter instanceof Filter.ValuePath valuePath) {
            ResolvedAttribute complex = FilterTargets.filtered(type, valuePath.path());
            Predicate<JsonNode> inner = compile(valuePath.filter(), complex);
            return r -> flatten(complex.valueIn(r)).stream().anyMatch(inner);
        }
        Filter.Comparison comparison = (Filter.Comparison) filter;
        Accessor target = values(comparison.path(), scope, true);
        if (comparison.value().isNull()) {
            return nullComparison(comparison, target);
        }
        Predicate<JsonNode> matcher = matcher(Operand.of(target.definition(), comparison.op(), comparison.value(),
                comparison.path()), target.definition().caseExact());
        return r -> target.values().apply(r).stream().anyMatch(matcher);
    }

    /** {@code eq null} is "not present", {@code ne null} "present"; nothing else compares with null. */
    private static Predicate<JsonNode> nullComparison(Filter.Comparison comparison, Accessor target) {
        Predicate<JsonNode> present = r -> target.values().apply(r).stream().anyMatch(v -> !ScimJson.empty(v));
        return switch (comparison.op()) {
            case EQ -> present.negate();
            case NE -> present;
            default -> throw Operand.invalid(comparison.path(), "cannot be ordered against null");
        };
    }

    private record Accessor(AttributeDefinition definition, Function<JsonNode, List<JsonNode>> values) {
    }

    /** The simple values a path reaches in a resource (scope null) or in one value of a complex attribute. */
    private Accessor values(AttrPath path, ResolvedAttribute scope, boolean comparing) {
        if (scope != null) {
            AttributeDefinition sub = FilterTargets.sub(scope, path);
            return new Accessor(sub, element -> flatten(ScimJson.field(element, sub.name())));
        }
        ResolvedAttribute resolved = FilterTargets.resolve(type, path);
        ResolvedAttribute target = comparing ? FilterTargets.compared(resolved, path) : resolved;
        if (target.subAttribute() == null) {
            return new Accessor(target.attribute(), r -> flatten(target.valueIn(r)));
        }
        String sub = target.subAttribute().name();
        return new Accessor(target.subAttribute(), r -> {
            List<JsonNode> values = new ArrayList<>();
            for (JsonNode element : flatten(target.valueIn(r))) {
                values.addAll(flatten(ScimJson.field(element, sub)));
            }
            return values;
        });
    }

    private static List<JsonNode> flatten(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return List.of();
        }
        if (value.isArray()) {
            List<JsonNode> values = new ArrayList<>(value.size());
            value.forEach(values::add);
            return values;
        }
        return List.of(value);
    }

    private static Predicate<JsonNode> matcher(Operand operand, boolean caseExact) {
        CompareOp op = operand.op();
        if (operand.type() == AttributeType.BOOLEAN) {
            boolean wanted = (Boolean) operand.value();
            return v -> v.isBoolean() && (v.booleanValue() == wanted) == (op == CompareOp.EQ);
        }
        if (operand.type().numeric()) {
            BigDecimal wanted = operand.number();
            return v -> v.isNumber() && ordered(op, v.decimalValue().compareTo(wanted));
        }
        if (operand.type() == AttributeType.DATE_TIME) {
            OffsetDateTime wanted = (OffsetDateTime) operand.value();
            return v -> v.isTextual() && ScimDateTime.parse(v.textValue())
                    .map(t -> ordered(op, t.toInstant().compareTo(wanted.toInstant()))).orElse(false);
        }
        String wanted = caseExact ? operand.text() : lower(operand.text());
        return v -> {
            if (!v.isTextual()) {
                return false;
            }
            String actual = caseExact ? v.textValue() : lower(v.textValue());
            return switch (op) {
                case CO -> actual.contains(wanted);
                case SW -> actual.startsWith(wanted);
                case EW -> actual.endsWith(wanted);
                default -> ordered(op, actual.compareTo(wanted));
            };
        };
    }

    private static boolean ordered(CompareOp op, int comparison) {
        return switch (op) {
            case EQ -> comparison == 0;
            case NE -> comparison != 0;
            case GT -> comparison > 0;
            case GE -> comparison >= 0;
            case LT -> comparison < 0;
            case LE -> comparison <= 0;
            default -> throw new IllegalStateException(op + " is not an ordering");
        };
    }

    static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
