package io.latchkey.admin.scim.web;

import jakarta.ws.rs.core.UriInfo;
import java.net.URI;

/** Where SCIM resources live, for {@code meta.location}, {@code Location} and the {@code $ref} of members and groups. */
public final class ScimPaths {

    public static final String ROOT = "/scim/v2";
    public static final String USERS = ROOT + "/Users";
    public static final String GROUPS = ROOT + "/Groups";

    private ScimPaths() {
    }

    /** The URL of one resource of a collection; the id is one encoded path segment, whatever it holds. */
    public static URI of(UriInfo uri, String collection, String id) {
        return uri.getBaseUriBuilder().path(collection).segment(id).build();
    }
}
