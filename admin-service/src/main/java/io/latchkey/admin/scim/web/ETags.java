package io.latchkey.admin.scim.web;

import io.latchkey.admin.scim.ScimException;

/**
 * Resource versions as weak entity tags (RFC 7644 §3.14): {@code W/"<version>"}, the row's version column, which
 * every change raises. If-Match makes a change conditional (412 when stale), If-None-Match makes a read 304.
 */
public final class ETags {

    private ETags() {
    }

    public static String of(long version) {
        return "W/\"" + version + "\"";
    }

    /**
     * Whether the header (a list of tags or {@code *}) admits the current version. An absent header admits
     * every version: the precondition is the client's to ask for.
     */
    public static boolean matches(String header, long version) {
        if (header == null || header.isBlank()) {
            return true;
        }
        String current = Long.toString(version);
        for (String tag : header.split(",")) {
            String t = tag.strip();
            if (t.equals("*")) {
                return true;
            }
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") && t.substring(1, t.length() - 1).equals(current)) {
                return true;
            }
        }
        return false;
    }

    /** 412 for a change whose If-Match names another version. */
    public static void require(String ifMatch, long version) {
        if (!matches(ifMatch, version)) {
            throw new ScimException(412, null, "The resource changed since the version named in If-Match; it is now " + of(version) + ".");
        }
    }
}
