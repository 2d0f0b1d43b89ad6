package io.latchkey.admin.scim.filter;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.admin.scim.ScimException;
import io.latchkey.admin.scim.path.AttrPath;
import io.latchkey.admin.scim.schema.AttributeDefinition;
import io.latchkey.admin.scim.schema.AttributeType;
import io.latchkey.admin.scim.schema.ScimDateTime;
import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * The value of a comparison checked against the attribute's type, as a Java value (String, Boolean, BigDecimal,
 * OffsetDateTime): {@link FilterEvaluator} and {@link SqlFilter} both take it from here, so they refuse the same
 * filters (400 invalidFilter): booleans with anything but eq/ne, co/sw/ew on anything but strings, a value of
 * another type than the attribute's, a dateTime that is not one, a complex attribute without a value.
 */
record Operand(AttributeType type, CompareOp op, Object value) {

    static Operand of(AttributeDefinition target, CompareOp op, JsonNode literal, AttrPath path) {
        AttributeType type = target.type();
        if (type == AttributeType.COMPLEX) {
            throw invalid(path, "is complex; compare one of its sub-attributes");
        }
        if (type == AttributeType.BOOLEAN) {
            if (op != CompareOp.EQ && op != CompareOp.NE) {
                throw invalid(path, "is a boolean, which takes eq and ne only");
            }
            if (!literal.isBoolean()) {
                throw invalid(path, "is a boolean; compare it with true or false");
            }
            return new Operand(type, op, literal.booleanValue());
        }
        if (op.substring() && !type.textual()) {
            throw invalid(path, "is a " + type.scimName() + "; " + op.keyword() + " applies to strings");
        }
        if (type.numeric()) {
            if (!literal.isNumber()) {
                throw invalid(path, "is a number; compare it with a number");
            }
            return new Operand(type, op, literal.decimalValue());
        }
        if (!literal.isTextual()) {
            throw invalid(path, "is a " + type.scimName() + "; compare it with a string");
        }
        if (type == AttributeType.DATE_TIME) {
            OffsetDateTime instant = ScimDateTime.parse(literal.textValue())
                    .orElseThrow(() -> invalid(path, "is a dateTime and '" + literal.textValue() + "' is not one"));
            return new Operand(type, op, instant);
        }
        return new Operand(type, op, literal.textValue());
    }

    String text() {
        return (String) value;
    }

    BigDecimal number() {
        return (BigDecimal) value;
    }

    static ScimException invalid(AttrPath path, String problem) {
        return ScimException.badRequest("invalidFilter", "Invalid filter: '" + path + "' " + problem + ".");
    }
}
