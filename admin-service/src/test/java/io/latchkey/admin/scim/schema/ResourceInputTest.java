package io.latchkey.admin.scim.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.admin.scim.ScimException;
import org.junit.jupiter.api.Test;

class ResourceInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void fails(String body, String scimType) {
        assertThatThrownBy(() -> ResourceInput.forCreate(ScimSchemas.USER_TYPE, json(body)))
                .isInstanceOfSatisfying(ScimException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.scimType()).as(e.getMessage()).isEqualTo(scimType);
                });
    }

    @Test
    void aCreateBodyIsRewrittenInTheModelsSpellingWithoutReadOnlyAttributes() {
        JsonNode read = ResourceInput.forCreate(ScimSchemas.USER_TYPE, json("""
                {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "mine", "UserName": "bjensen",
                 "meta": {"created": "2020-01-01T00:00:00Z"}, "groups": [{"value": "admins"}], "nickName": null,
                 "Emails": [{"Value": "b@example.com", "primary": true}], "password": "t1meMa$heen",
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"Department": "Tours", "manager": {"value": "u9", "displayName": "x"}}}
                """));
        assertThat(read).isEqualTo(json("""
                {"userName": "bjensen", "emails": [{"value": "b@example.com", "primary": true}], "password": "t1meMa$heen",
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Tours", "manager": {"value": "u9"}},
                 "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]}
                """));
    }

    @Test
    void badBodiesAreRefusedWithTheirScimType() {
        fails("{\"userName\": \"x\"}", "invalidSyntax");
        fails("{\"schemas\": [\"urn:ietf:params:scim:schemas:core:2.0:User\"], \"userName\": \"x\", \"shoeSize\": 9}", "invalidSyntax");
        fails("{\"schemas\": [\"urn:ietf:params:scim:schemas:core:2.0:User\"], \"displayName\": \"x\"}", "invalidValue");
        fails("{\"schemas\": [\"urn:ietf:params:scim:schemas:core:2.0:User\"], \"userName\": \"x\", \"active\": \"False\"}", "invalidValue");
        fails("{\"schemas\": [\"urn:ietf:params:scim:schemas:core:2.0:User\"], \"userName\": \"x\","
                + " \"emails\": [{\"value\": \"a@x\", \"primary\": true}, {\"value\": \"b@x\", \"primary\": true}]}", "invalidValue");
    }

    @Test
    void aReplaceMayNotChangeAnImmutableValue() {
        AttributeDefinition badge = AttributeDefinition.string("badge").immutable().build();
        ResourceType type = new ResourceType("T", "T", "/T", "test",
                new Schema("urn:example:T", "T", "test", java.util.List.of(badge)), java.util.List.of());
        JsonNode existing = json("{\"badge\": \"A1\"}");
        assertThat(ResourceInput.forReplace(type, json("{\"schemas\": [\"urn:example:T\"], \"badge\": \"A1\"}"), existing)
                .get("badge").textValue()).isEqualTo("A1");
        assertThatThrownBy(() -> ResourceInput.forReplace(type, json("{\"schemas\": [\"urn:example:T\"], \"badge\": \"B2\"}"), existing))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo("mutability"));
    }
}
