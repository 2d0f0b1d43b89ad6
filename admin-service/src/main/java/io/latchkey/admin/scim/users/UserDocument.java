package io.latchkey.admin.scim.users;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.admin.scim.ScimException;
import io.latchkey.admin.scim.schema.ScimSchemas;
import java.net.URI;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * How a SCIM User (RFC 7643 §4.1) lives in the directory, in one place.
 *
 * <ul>
 *   <li>{@code id}, {@code userName}, {@code active}, {@code externalId} are columns of {@code users};</li>
 *   <li>the attributes that are OpenID Connect claims (Core §5.1) are written into {@code users.claims}, which
 *       tokens and /userinfo release: {@link #CLAIMS} lists them;</li>
 *   <li>the rest of the document, as written, is {@code users.scim}, so it reads back as sent;</li>
 *   <li>{@code password} becomes a credential (never stored here, never returned), {@code groups} and
 *       {@code meta} are computed.</li>
 * </ul>
 */
public final class UserDocument {

    static final String USER_SCHEMA = ScimSchemas.USER;
    static final String ENTERPRISE_SCHEMA = ScimSchemas.ENTERPRISE_USER;
    public static final int PASSWORD_MAX = 1024;

    /** The claims that SCIM owns for a user it wrote: each write sets or removes every one of them. */
    static final List<String> CLAIMS = List.of("name", "given_name", "family_name", "middle_name", "nickname",
            "profile", "picture", "website", "email", "phone_number", "locale", "zoneinfo", "address");

    /** Core User attributes kept in users.scim (the columns and computed ones are not). */
    private static final List<String> STORED = List.of("name", "displayName", "nickName", "profileUrl", "title",
            "userType", "preferredLanguage", "locale", "timezone", "emails", "phoneNumbers", "ims", "photos",
            "addresses", "entitlements", "roles", "x509Certificates");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private UserDocument() {
    }

    /** What a client wrote, split by where it is stored. */
    public record Written(String userName, Boolean active, String externalId, String password, ObjectNode scim) {
    }

    /**
     * Takes apart a User the engine has read against the model (ResourceInput for POST and PUT, ScimPatch for
     * PATCH: names in the model's spelling, values of the model's types, readOnly attributes ignored) into what is
     * stored where. {@code id}, {@code meta} and {@code groups} are not taken: storage sets them.
     */
    public static Written read(ObjectNode checked) {
        String userName = checked.path("userName").isTextual() ? checked.get("userName").asText() : null;
        if (userName == null || userName.isBlank()) {
            throw ScimException.badRequest("invalidValue", "userName is required.");
        }
        JsonNode active = checked.path("active");
        String externalId = checked.path("externalId").isTextual() ? checked.get("externalId").asText() : null;
        String password = checked.path("password").isTextual() ? checked.get("password").asText() : null;
        if (password != null && (password.isEmpty() || password.length() > PASSWORD_MAX)) {
            throw ScimException.badRequest("invalidValue", "password must have 1 to " + PASSWORD_MAX + " characters.");
        }
        ObjectNode scim = NODES.objectNode();
        for (String name : STORED) {
            JsonNode value = checked.get(name);
            if (value != null && !value.isNull()) {
                scim.set(name, value);
            }
        }
        JsonNode enterprise = checked.get(ENTERPRISE_SCHEMA);
        if (enterprise != null && enterprise.isObject() && !enterprise.isEmpty()) {
            scim.set(ENTERPRISE_SCHEMA, enterprise);
        }
        return new Written(userName, active.isBoolean() ? active.booleanValue() : null, externalId, password, scim);
    }

    /**
     * The claims after a SCIM write: the user's other claims as they were, the SCIM-owned ones derived from the
     * document (a removed attribute removes its claim).
     */
    public static ObjectNode claims(ObjectNode previous, ObjectNode scim) {
        ObjectNode claims = previous == null ? NODES.objectNode() : previous.deepCopy();
        claims.remove(CLAIMS);
        JsonNode name = scim.path("name");
        putText(claims, "given_name", name.path("givenName"));
        putText(claims, "family_name", name.path("familyName"));
        putText(claims, "middle_name", name.path("middleName"));
        putText(claims, "name", name.path("formatted").isTextual() ? name.path("formatted") : scim.path("displayName"));
        putText(claims, "nickname", scim.path("nickName"));
        putText(claims, "profile", scim.path("profileUrl"));
        putText(claims, "picture", primary(scim.path("photos")).path("value"));
        putText(claims, "email", primary(scim.path("emails")).path("value"));
        putText(claims, "phone_number", primary(scim.path("phoneNumbers")).path("value"));
        putText(claims, "locale", scim.path("locale").isTextual() ? scim.path("locale") : scim.path("preferredLanguage"));
        putText(claims, "zoneinfo", scim.path("timezone"));
        JsonNode address = primary(scim.path("addresses"));
        if (address.isObject()) {
            ObjectNode claim = NODES.objectNode();
            putText(claim, "formatted", address.path("formatted"));
            putText(claim, "street_address", address.path("streetAddress"));
            putText(claim, "locality", address.path("locality"));
            putText(claim, "region", address.path("region"));
            putText(claim, "postal_code", address.path("postalCode"));
            putText(claim, "country", address.path("country"));
            if (!claim.isEmpty()) {
                claims.set("address", claim);
            }
        }
        return claims;
    }

    /**
     * The SCIM attributes of a user no SCIM client wrote yet (imported from a realm file): derived back from the
     * claims, so that a provisioning client sees the name and email tokens carry.
     */
    static ObjectNode fromClaims(ObjectNode claims) {
        ObjectNode scim = NODES.objectNode();
        ObjectNode name = NODES.objectNode();
        putText(name, "formatted", claims.path("name"));
        putText(name, "givenName", claims.path("given_name"));
        putText(name, "familyName", claims.path("family_name"));
        putText(name, "middleName", claims.path("middle_name"));
        if (!name.isEmpty()) {
            scim.set("name", name);
        }
        putText(scim, "displayName", claims.path("name"));
        putText(scim, "nickName", claims.path("nickname"));
        putText(scim, "profileUrl", claims.path("profile"));
        putText(scim, "locale", claims.path("locale"));
        putText(scim, "timezone", claims.path("zoneinfo"));
        if (claims.path("email").isTextual()) {
            scim.putArray("emails").addObject().put("value", claims.path("email").asText()).put("primary", true);
        }
        if (claims.path("phone_number").isTextual()) {
            scim.putArray("phoneNumbers").addObject().put("value", claims.path("phone_number").asText()).put("primary", true);
        }
        return scim;
    }

    /** The User resource a client reads (password never; groups and meta computed). */
    public static ObjectNode representation(UserRow row, URI location, java.util.function.Function<String, URI> groupRef) {
        ObjectNode scim = row.scim().isEmpty() ? fromClaims(row.claims()) : row.scim();
        ObjectNode user = NODES.objectNode();
        ArrayNode schemas = user.putArray("schemas").add(USER_SCHEMA);
        if (scim.has(ENTERPRISE_SCHEMA)) {
            schemas.add(ENTERPRISE_SCHEMA);
        }
        user.put("id", row.id());
        if (row.externalId() != null) {
            user.put("externalId", row.externalId());
        }
        user.put("userName", row.userName());
        scim.fields().forEachRemaining(field -> user.set(field.getKey(), field.getValue()));
        user.put("active", row.active());
        if (row.groups() != null && !row.groups().isEmpty()) {
            ArrayNode groups = user.putArray("groups");
            for (JsonNode group : row.groups()) {
                groups.addObject().put("value", group.path("value").asText())
                        .put("$ref", groupRef.apply(group.path("value").asText()).toString())
                        .put("display", group.path("display").asText())
                        .put("type", "direct");
            }
        }
        ObjectNode meta = user.putObject("meta");
        meta.put("resourceType", "User");
        meta.put("created", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(row.created()));
        meta.put("lastModified", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(row.lastModified()));
        meta.put("location", location.toString());
        meta.put("version", io.latchkey.admin.scim.web.ETags.of(row.version()));
        return user;
    }

    /** The primary element of a multi-valued attribute, else its first; a missing node when it has none. */
    static JsonNode primary(JsonNode values) {
        if (!values.isArray() || values.isEmpty()) {
            return NODES.missingNode();
        }
        for (JsonNode value : values) {
            if (value.path("primary").asBoolean(false)) {
                return value;
            }
        }
        return values.get(0);
    }

    private static void putText(ObjectNode target, String name, JsonNode value) {
        if (value.isTextual() && !value.asText().isEmpty()) {
            target.put(name, value.asText());
        }
    }
}
