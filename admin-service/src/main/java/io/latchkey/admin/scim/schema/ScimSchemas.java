package io.latchkey.admin.scim.schema;

import static io.latchkey.admin.scim.schema.AttributeDefinition.bool;
import static io.latchkey.admin.scim.schema.AttributeDefinition.complex;
import static io.latchkey.admin.scim.schema.AttributeDefinition.dateTime;
import static io.latchkey.admin.scim.schema.AttributeDefinition.reference;
import static io.latchkey.admin.scim.schema.AttributeDefinition.string;

import java.util.List;
import java.util.Optional;

/**
 * The schemas Latchkey serves (RFC 7643 §3.1 common attributes, §4.1 User, §4.2 Group, §4.3 enterprise User) and
 * the URNs of SCIM's messages: the single source /Schemas, projection, PATCH and filters read.
 */
public final class ScimSchemas {

    public static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
    public static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    public static final String ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    public static final String SERVICE_PROVIDER_CONFIG = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
    public static final String RESOURCE_TYPE = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
    public static final String SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema";
    public static final String LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    public static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    public static final String SEARCH_REQUEST = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

    /** Attributes of every resource, outside any schema (RFC 7643 §3); /Schemas does not list them. */
    public static final List<AttributeDefinition> COMMON = List.of(
            reference("schemas").multiValued().required().readOnly().returned(Returned.ALWAYS)
                    .description("The URNs of the schemas the resource carries.").build(),
            string("id").caseExact().readOnly().returned(Returned.ALWAYS).uniqueness(Uniqueness.SERVER)
                    .description("The service provider's identifier of the resource, never reassigned.").build(),
            string("externalId").caseExact()
                    .description("The provisioning client's identifier of the resource.").build(),
            complex("meta",
                    string("resourceType").caseExact().readOnly().description("The resource type's name.").build(),
                    dateTime("created").readOnly().description("When the resource was created.").build(),
                    dateTime("lastModified").readOnly().description("When the resource last changed.").build(),
                    reference("location", "uri").readOnly().description("The resource's URI.").build(),
                    string("version").caseExact().readOnly().description("The resource's entity tag.").build())
                    .readOnly().description("Resource metadata kept by the service provider.").build());

    private static AttributeDefinition multi(String name, String description, AttributeDefinition value,
            String... types) {
        return complex(name,
                value,
                string("display").description("A label for people.").build(),
                string("type").canonicalValues(types).description("The kind of value.").build(),
                bool("primary").description("Whether this is the preferred value; true on one value at most.").build())
                .multiValued().description(description).build();
    }

    public static final Schema USER_SCHEMA = new Schema(USER, "User", "A user account", List.of(
            string("userName").required().uniqueness(Uniqueness.SERVER)
                    .description("The unique name the user signs in with.").build(),
            complex("name",
                    string("formatted").description("The full name, formatted for display.").build(),
                    string("familyName").description("The family name.").build(),
                    string("givenName").description("The given name.").build(),
                    string("middleName").description("The middle name(s).").build(),
                    string("honorificPrefix").description("Title before the name, e.g. Ms.").build(),
                    string("honorificSuffix").description("Suffix after the name, e.g. III.").build())
                    .description("The parts of the user's name.").build(),
            string("displayName").description("The name to show for the user.").build(),
            string("nickName").description("The casual name of the user.").build(),
            reference("profileUrl", "external").description("A URL of the user's online profile.").build(),
            string("title").description("The user's job title.").build(),
            string("userType").description("The relation to the organization, e.g. Employee.").build(),
            string("preferredLanguage").description("The preferred language, as an Accept-Language value.").build(),
            string("locale").description("The locale for formatting, e.g. en-US.").build(),
            string("timezone").description("The time zone, an IANA name such as Europe/Paris.").build(),
            bool("active").description("Whether the user may sign in.").build(),
            string("password").caseExact().mutability(Mutability.WRITE_ONLY).returned(Returned.NEVER)
                    .description("The cleartext password to set; never returned.").build(),
            multi("emails", "Email addresses of the user.",
                    string("value").description("The email address.").build(), "work", "home", "other"),
            multi("phoneNumbers", "Phone numbers of the user.",
                    string("value").description("The phone number, e.g. tel:+1-201-555-0123.").build(),
                    "work", "home", "mobile", "fax", "pager", "other"),
            multi("ims", "Instant messaging addresses of the user.",
                    string("value").description("The messaging address.").build(),
                    "aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"),
            multi("photos", "Images of the user.",
                    reference("value", "external").description("The image's URL.").build(), "photo", "thumbnail"),
            complex("addresses",
                    string("formatted").description("The full address, formatted for display.").build(),
                    string("streetAddress").description("Street and house number.").build(),
                    string("locality").description("City or locality.").build(),
                    string("region").description("State or region.").build(),
                    string("postalCode").description("Postal code.").build(),
                    string("country").description("Country, ISO 3166-1 alpha-2.").build(),
                    string("type").canonicalValues("work", "home", "other").description("The kind of address.").build(),
                    bool("primary").description("Whether this is the preferred address.").build())
                    .multiValued().description("Physical mailing addresses of the user.").build(),
            complex("groups",
                    string("value").readOnly().description("The group's id.").build(),
                    reference("$ref", "User", "Group").readOnly().description("The group's URI.").build(),
                    string("display").readOnly().description("The group's display name.").build(),
                    string("type").readOnly().canonicalValues("direct", "indirect")
                            .description("Whether membership is direct or through another group.").build())
                    .multiValued().readOnly().description("The groups the user belongs to; changed through /Groups.").build(),
            multi("entitlements", "Entitlements of the user.",
                    string("value").description("The entitlement.").build()),
            multi("roles", "Roles of the user.",
                    string("value").description("The role.").build()),
            multi("x509Certificates", "Certificates of the user.",
                    AttributeDefinition.builder("value", AttributeType.BINARY).description("The DER certificate, base64.")
                            .build())));

    public static final Schema ENTERPRISE_USER_SCHEMA = new Schema(ENTERPRISE_USER, "EnterpriseUser",
            "Enterprise user", List.of(
            string("employeeNumber").description("The organization's number for the user.").build(),
            string("costCenter").description("The cost center.").build(),
            string("organization").description("The organization.").build(),
            string("division").description("The division.").build(),
            string("department").description("The department.").build(),
            complex("manager",
                    string("value").description("The manager's id.").build(),
                    reference("$ref", "User").description("The manager's URI.").build(),
                    string("displayName").readOnly().description("The manager's display name.").build())
                    .description("The user's manager.").build()));

    public static final Schema GROUP_SCHEMA = new Schema(GROUP, "Group", "A group of users", List.of(
            string("displayName").required().description("The group's name for people.").build(),
            complex("members",
                    string("value").immutable().description("The member's id.").build(),
                    reference("$ref", "User", "Group").immutable().description("The member's URI.").build(),
                    string("display").readOnly().description("The member's display name.").build(),
                    string("type").immutable().canonicalValues("User", "Group").description("The kind of member.")
                            .build())
                    .multiValued().description("The group's members.").build()));

    public static final ResourceType USER_TYPE = new ResourceType("User", "User", "/Users", "User accounts",
            USER_SCHEMA, List.of(new SchemaExtension(ENTERPRISE_USER_SCHEMA, false)));

    public static final ResourceType GROUP_TYPE = new ResourceType("Group", "Group", "/Groups", "Groups of users",
            GROUP_SCHEMA, List.of());

    public static final List<ResourceType> RESOURCE_TYPES = List.of(USER_TYPE, GROUP_TYPE);

    public static final List<Schema> SCHEMAS = List.of(USER_SCHEMA, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA);

    private ScimSchemas() {
    }

    /** The schema with this URN (schema URNs compare case-insensitively, RFC 7643 §2.1). */
    public static Optional<Schema> schema(String id) {
        return SCHEMAS.stream().filter(s -> s.id().equalsIgnoreCase(id)).findFirst();
    }

    public static Optional<ResourceType> resourceType(String id) {
        return RESOURCE_TYPES.stream().filter(t -> t.id().equals(id)).findFirst();
    }
}
