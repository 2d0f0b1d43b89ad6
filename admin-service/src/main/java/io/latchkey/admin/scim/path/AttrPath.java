package io.latchkey.admin.scim.path;

import io.latchkey.admin.scim.ScimException;
import java.util.regex.Pattern;

/**
 * An attribute path as filters, PATCH paths, {@code attributes} and {@code sortBy} write it (RFC 7644 §3.10):
 * an optional schema URN, an attribute name and an optional sub-attribute, e.g.
 * {@code urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value}. Syntax only: which attribute
 * it names is the resource type's business ({@code ResourceType.resolve}).
 */
public record AttrPath(String urn, String attribute, String subAttribute) {

    private static final Pattern NAME = Pattern.compile("\\$?[A-Za-z][A-Za-z0-9_-]*");
    private static final Pattern URN = Pattern.compile("(?i)urn:[A-Za-z0-9][A-Za-z0-9:._-]*");

    /** Parses {@code text}; a malformed path is a 400 with {@code scimType} (invalidFilter, invalidPath...). */
    public static AttrPath parse(String text, String scimType) {
        String urn = null;
        String rest = text;
        int colon = text.lastIndexOf(':');
        if (colon >= 0) {
            urn = text.substring(0, colon);
            rest = text.substring(colon + 1);
            if (!URN.matcher(urn).matches()) {
                throw ScimException.badRequest(scimType, "'" + text + "' is not an attribute path.");
            }
        }
        int dot = rest.indexOf('.');
        String attribute = dot < 0 ? rest : rest.substring(0, dot);
        String sub = dot < 0 ? null : rest.substring(dot + 1);
        if (!NAME.matcher(attribute).matches() || (sub != null && !NAME.matcher(sub).matches())) {
            throw ScimException.badRequest(scimType, "'" + text + "' is not an attribute path.");
        }
        return new AttrPath(urn, attribute, sub);
    }

    /** Whether this path, read whole, is the URN itself (e.g. an extension named as one attribute). */
    public String asUrn() {
        return subAttribute == null && urn != null ? urn + ":" + attribute : null;
    }

    public AttrPath withSubAttribute(String sub) {
        return new AttrPath(urn, attribute, sub);
    }

    @Override
    public String toString() {
        return (urn == null ? "" : urn + ":") + attribute + (subAttribute == null ? "" : "." + subAttribute);
    }
}
