package io.latchkey.admin.scim.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.admin.scim.ScimException;
import io.latchkey.admin.scim.path.AttrPath;
import org.junit.jupiter.api.Test;

class ResourceTypeTest {

    private static ResolvedAttribute user(String path) {
        return ScimSchemas.USER_TYPE.resolve(AttrPath.parse(path, "invalidPath"), "invalidPath");
    }

    @Test
    void namesResolveCaseInsensitivelyToTheModelsSpelling() {
        assertThat(user("USERNAME").canonical()).isEqualTo("userName");
        assertThat(user("name.GIVENNAME").canonical()).isEqualTo("name.givenName");
        assertThat(user("urn:ietf:params:scim:schemas:core:2.0:User:emails.value").canonical()).isEqualTo("emails.value");
        assertThat(user("URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:id").canonical()).isEqualTo("id");
        assertThat(user("meta.lastModified").target().type()).isEqualTo(AttributeType.DATE_TIME);
    }

    @Test
    void extensionAttributesCarryTheirUrn() {
        ResolvedAttribute manager = user("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value");
        assertThat(manager.extension()).isTrue();
        assertThat(manager.canonical()).isEqualTo("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value");
        assertThat(user("department").canonical()).isEqualTo("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department");
    }

    @Test
    void unknownNamesAndSchemasAreRefusedWithTheCallersScimType() {
        for (String path : new String[] {"nothing", "name.nothing", "userName.sub", "urn:example:other:2.0:User:userName",
                "urn:ietf:params:scim:schemas:core:2.0:Group:displayName"}) {
            assertThatThrownBy(() -> user(path)).as(path)
                    .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo("invalidPath"));
        }
    }

    @Test
    void theModelHoldsWhatProjectionAndPatchRelyOn() {
        assertThat(user("password").attribute().returned()).isEqualTo(Returned.NEVER);
        assertThat(user("password").attribute().mutability()).isEqualTo(Mutability.WRITE_ONLY);
        assertThat(user("id").attribute().returned()).isEqualTo(Returned.ALWAYS);
        assertThat(user("groups").attribute().readOnly()).isTrue();
        assertThat(user("meta").attribute().readOnly()).isTrue();
        assertThat(user("userName").attribute().uniqueness()).isEqualTo(Uniqueness.SERVER);
        assertThat(ScimSchemas.GROUP_TYPE.resolve(AttrPath.parse("members.value", "x"), "x").target().mutability())
                .isEqualTo(Mutability.IMMUTABLE);
    }
}
