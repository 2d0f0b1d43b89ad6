package io.latchkey.admin.scim.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.admin.scim.ScimException;
import io.latchkey.admin.scim.schema.ScimSchemas;
import org.junit.jupiter.api.Test;

class ProjectionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ENTERPRISE = ScimSchemas.ENTERPRISE_USER;

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static final ObjectNode USER = json("""
            {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
             "id": "2819c223", "externalId": "701984", "userName": "bjensen", "password": "t1meMa$heen",
             "name": {"givenName": "Barbara", "familyName": "Jensen"},
             "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true}],
             "internalColumn": "never shown",
             "meta": {"resourceType": "User", "version": "W/\\"3\\""},
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Tours", "manager": {"value": "26118915"}}}
            """);

    private static ObjectNode project(String attributes, String excluded) {
        return Projection.of(ScimSchemas.USER_TYPE, attributes, excluded).apply(USER);
    }

    @Test
    void byDefaultEverythingButNeverAndUnknownMembers() {
        ObjectNode shown = project(null, null);
        assertThat(shown.has("password")).isFalse();
        assertThat(shown.has("internalColumn")).isFalse();
        assertThat(shown.get("userName").textValue()).isEqualTo("bjensen");
        assertThat(shown.get(ENTERPRISE)).isEqualTo(USER.get(ENTERPRISE));
        assertThat(shown.get("meta")).isEqualTo(USER.get("meta"));
        assertThat(Projection.defaults(ScimSchemas.USER_TYPE).apply(USER)).isEqualTo(shown);
    }

    @Test
    void attributesNarrowToThoseNamedPlusAlways() {
        ObjectNode shown = project("userName,name.givenName", null);
        assertThat(shown).isEqualTo(json("""
                {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                 "id": "2819c223", "userName": "bjensen", "name": {"givenName": "Barbara"}}
                """));
    }

    @Test
    void attributesAreCaseInsensitiveAndMayCarryTheUrn() {
        ObjectNode shown = project(" USERNAME , urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value,emails.VALUE", null);
        assertThat(shown.get("userName").textValue()).isEqualTo("bjensen");
        assertThat(shown.get(ENTERPRISE)).isEqualTo(json("{\"manager\": {\"value\": \"26118915\"}}"));
        assertThat(shown.get("emails")).isEqualTo(JSON.createArrayNode().add(json("{\"value\": \"bjensen@example.com\"}")));
    }

    @Test
    void anExtensionUrnNamesAllOfIt() {
        ObjectNode shown = project(ENTERPRISE, null);
        assertThat(shown.get(ENTERPRISE)).isEqualTo(USER.get(ENTERPRISE));
        assertThat(shown.has("userName")).isFalse();
        assertThat(project(null, ENTERPRISE).has(ENTERPRISE)).isFalse();
    }

    @Test
    void excludedAttributesDropThoseNamedButNeverAlways() {
        ObjectNode shown = project(null, "emails,name.familyName,id,schemas,meta");
        assertThat(shown.has("emails")).isFalse();
        assertThat(shown.has("meta")).isFalse();
        assertThat(shown.get("name")).isEqualTo(json("{\"givenName\": \"Barbara\"}"));
        assertThat(shown.get("id").textValue()).isEqualTo("2819c223");
        assertThat(shown.has("schemas")).isTrue();
    }

    @Test
    void passwordIsNeverShownEvenWhenAskedFor() {
        assertThat(project("password", null).has("password")).isFalse();
    }

    @Test
    void unknownNamesAreIgnoredAndBothListsAtOnceRefused() {
        assertThat(project("nothing,userName", null).get("userName").textValue()).isEqualTo("bjensen");
        assertThatThrownBy(() -> project("userName", "emails"))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo("invalidValue"));
        assertThatThrownBy(() -> project("user name", null))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo("invalidValue"));
    }
}
