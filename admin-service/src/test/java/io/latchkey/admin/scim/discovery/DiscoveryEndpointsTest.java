package io.latchkey.admin.scim.discovery;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

import io.latchkey.admin.TestTokens;
import io.latchkey.admin.scim.schema.AttributeDefinition;
import io.latchkey.admin.scim.schema.ScimSchemas;
import io.latchkey.model.keys.PublishedKeys;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The three discovery endpoints over real HTTP, with real tokens checked against keys published in real Redis. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class DiscoveryEndpointsTest {

    private static final String ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

    @Inject
    PublishedKeys keys;

    @BeforeEach
    void publishKey() {
        TestTokens.publish(keys);
    }

    private static io.restassured.specification.RequestSpecification scim() {
        return given().header("Authorization", TestTokens.bearer("provisioner", "scim"));
    }

    @Test
    void serviceProviderConfigSaysWhatIsSupported() {
        scim().when().get("/scim/v2/ServiceProviderConfig")
                .then().statusCode(200)
                .contentType(startsWith("application/scim+json"))
                .body("schemas[0]", equalTo(ScimSchemas.SERVICE_PROVIDER_CONFIG))
                .body("patch.supported", equalTo(true))
                .body("bulk.supported", equalTo(false))
                .body("filter.supported", equalTo(true))
                .body("filter.maxResults", equalTo(200))
                .body("changePassword.supported", equalTo(true))
                .body("sort.supported", equalTo(true))
                .body("etag.supported", equalTo(true))
                .body("authenticationSchemes[0].type", equalTo("oauthbearertoken"))
                .body("meta.location", endsWith("/scim/v2/ServiceProviderConfig"));
    }

    @Test
    void resourceTypesListUserWithTheEnterpriseExtensionAndGroup() {
        scim().when().get("/scim/v2/ResourceTypes")
                .then().statusCode(200)
                .body("schemas[0]", equalTo(ScimSchemas.LIST_RESPONSE))
                .body("totalResults", equalTo(2))
                .body("Resources.id", hasItems("User", "Group"))
                .body("Resources.find { it.id == 'User' }.schemaExtensions[0].schema", equalTo(ScimSchemas.ENTERPRISE_USER))
                .body("Resources.find { it.id == 'Group' }.endpoint", equalTo("/Groups"));
        scim().when().get("/scim/v2/ResourceTypes/User")
                .then().statusCode(200)
                .body("schema", equalTo(ScimSchemas.USER))
                .body("endpoint", equalTo("/Users"))
                .body("meta.location", endsWith("/scim/v2/ResourceTypes/User"));
    }

    @Test
    void schemasAreWrittenFromTheModel() {
        JsonPath list = scim().when().get("/scim/v2/Schemas").then().statusCode(200)
                .body("totalResults", equalTo(3)).extract().jsonPath();
        assertThat(list.getList("Resources.id", String.class))
                .containsExactly(ScimSchemas.USER, ScimSchemas.ENTERPRISE_USER, ScimSchemas.GROUP);

        JsonPath user = scim().when().get("/scim/v2/Schemas/" + ScimSchemas.USER).then().statusCode(200)
                .contentType(startsWith("application/scim+json")).extract().jsonPath();
        assertThat(user.getList("attributes.name", String.class))
                .isEqualTo(ScimSchemas.USER_SCHEMA.attributes().stream().map(AttributeDefinition::name).toList());
        assertThat(user.getString("attributes.find { it.name == 'userName' }.uniqueness")).isEqualTo("server");
        assertThat(user.getBoolean("attributes.find { it.name == 'userName' }.required")).isTrue();
        assertThat(user.getString("attributes.find { it.name == 'password' }.returned")).isEqualTo("never");
        assertThat(user.getString("attributes.find { it.name == 'password' }.mutability")).isEqualTo("writeOnly");
        assertThat(user.getString("attributes.find { it.name == 'groups' }.mutability")).isEqualTo("readOnly");
        assertThat(user.getList("attributes.find { it.name == 'emails' }.subAttributes.name", String.class))
                .containsExactly("value", "display", "type", "primary");
        assertThat(user.getList("attributes.find { it.name == 'emails' }.subAttributes.find { it.name == 'type' }.canonicalValues",
                String.class)).containsExactly("work", "home", "other");

        scim().when().get("/scim/v2/Schemas/" + ScimSchemas.ENTERPRISE_USER).then().statusCode(200)
                .body("attributes.find { it.name == 'manager' }.subAttributes.name", hasItems("value", "$ref", "displayName"));
        scim().when().get("/scim/v2/Schemas/" + ScimSchemas.GROUP).then().statusCode(200)
                .body("attributes.find { it.name == 'members' }.subAttributes.name", hasItems("value", "$ref", "display", "type"));
    }

    @Test
    void applicationJsonIsAnsweredToo() {
        scim().accept("application/json").when().get("/scim/v2/ServiceProviderConfig")
                .then().statusCode(200).contentType(startsWith("application/json"));
    }

    @Test
    void unknownIdsAre404InScimFormat() {
        for (String path : List.of("/scim/v2/Schemas/urn:example:nothing", "/scim/v2/ResourceTypes/Printer")) {
            scim().when().get(path)
                    .then().statusCode(404)
                    .contentType(startsWith("application/scim+json"))
                    .body("schemas[0]", equalTo(ERROR))
                    .body("status", equalTo("404"));
        }
    }

    @Test
    void filteringDiscoveryIsForbidden() {
        scim().queryParam("filter", "id eq \"User\"").when().get("/scim/v2/ResourceTypes")
                .then().statusCode(403).body("schemas[0]", equalTo(ERROR));
    }

    @Test
    void tokenWithoutTheScimScopeIsRefusedInScimFormat() {
        for (String path : List.of("/scim/v2/ServiceProviderConfig", "/scim/v2/ResourceTypes", "/scim/v2/Schemas",
                "/scim/v2/Schemas/" + ScimSchemas.USER)) {
            given().header("Authorization", TestTokens.bearer("auditor", "audit clients sessions"))
                    .when().get(path)
                    .then().statusCode(403)
                    .contentType(startsWith("application/scim+json"))
                    .body("schemas[0]", equalTo(ERROR))
                    .body("status", equalTo("403"))
                    .header("WWW-Authenticate", containsString("insufficient_scope"))
                    .header("WWW-Authenticate", containsString("scope=\"scim\""));
        }
    }

    @Test
    void noTokenOrAForeignOneIsRefused() {
        given().when().get("/scim/v2/Schemas").then().statusCode(401)
                .body("schemas[0]", equalTo(ERROR));
        given().header("Authorization", "Bearer " + TestTokens.foreign("scim")).when().get("/scim/v2/Schemas")
                .then().statusCode(401).body("schemas[0]", equalTo(ERROR));
    }
}
