package io.latchkey.admin.scim.filter;

import io.latchkey.admin.scim.path.AttrPath;
import io.latchkey.admin.scim.schema.AttributeDefinition;
import io.latchkey.admin.scim.schema.ResolvedAttribute;
import io.latchkey.admin.scim.schema.ResourceType;

/** How a filter's paths name attributes, shared by {@link FilterEvaluator} and {@link SqlFilter}. */
final class FilterTargets {

    private FilterTargets() {
    }

    /** A path at resource level; unknown is invalidFilter. */
    static ResolvedAttribute resolve(ResourceType type, AttrPath path) {
        return type.resolve(path, "invalidFilter");
    }

    /**
     * The attribute a comparison compares: a complex attribute named alone stands for its {@code value}
     * sub-attribute ({@code emails co "example.com"} is {@code emails.value co ...}, RFC 7644 §3.4.2.2).
     */
    static ResolvedAttribute compared(ResolvedAttribute resolved, AttrPath path) {
        if (resolved.subAttribute() == null && resolved.attribute().complex()) {
            return resolved.attribute().subAttribute("value").map(resolved::withSub)
                    .orElseThrow(() -> Operand.invalid(path, "is complex and has no value sub-attribute; compare one of its sub-attributes"));
        }
        return resolved;
    }

    /** The complex attribute a valuePath filters ({@code emails[...]}). */
    static ResolvedAttribute filtered(ResourceType type, AttrPath path) {
        ResolvedAttribute resolved = resolve(type, path);
        if (!resolved.attribute().complex() || resolved.subAttribute() != null) {
            throw Operand.invalid(path, "is not a complex attribute; brackets filter the values of one");
        }
        return resolved;
    }

    /** A name inside brackets: a sub-attribute of the filtered attribute. */
    static AttributeDefinition sub(ResolvedAttribute scope, AttrPath path) {
        return scope.attribute().subAttribute(path.attribute())
                .orElseThrow(() -> Operand.invalid(path, "is not a sub-attribute of " + scope.canonical()));
    }
}
