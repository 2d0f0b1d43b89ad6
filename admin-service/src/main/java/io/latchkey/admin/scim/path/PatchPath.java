package io.latchkey.admin.scim.path;

import io.latchkey.admin.scim.filter.Filter;
import io.latchkey.admin.scim.filter.FilterParser;

/**
 * The target of a PATCH operation (RFC 7644 §3.5.2): {@code attrPath} or {@code valuePath [subAttr]}, e.g.
 * {@code name.givenName}, {@code emails[type eq "work"].value},
 * {@code urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value}. {@code path} holds the
 * attribute and the sub-attribute (after the brackets for a valuePath); {@code valueFilter} is null without brackets.
 */
public record PatchPath(AttrPath path, Filter valueFilter) {

    /** Parses a PATCH path; anything malformed is 400 invalidPath. */
    public static PatchPath parse(String text) {
        return FilterParser.parsePatchPath(text);
    }
}
