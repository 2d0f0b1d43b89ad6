package io.latchkey.admin.scim.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.admin.scim.ScimException;
import io.latchkey.admin.scim.schema.ScimSchemas;
import org.junit.jupiter.api.Test;

class ScimPatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ENTERPRISE = ScimSchemas.ENTERPRISE_USER;
    private static final ScimPatch USERS = new ScimPatch(ScimSchemas.USER_TYPE);
    private static final ScimPatch GROUPS = new ScimPatch(ScimSchemas.GROUP_TYPE);

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ObjectNode user() {
        return json("""
                {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                 "id": "2819c223", "userName": "bjensen", "active": true,
                 "name": {"givenName": "Barbara", "familyName": "Jensen"},
                 "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true},
                            {"value": "babs@jensen.org", "type": "home"}],
                 "groups": [{"value": "g1", "display": "Tour Guides"}],
                 "meta": {"resourceType": "User", "created": "2010-01-23T04:56:22Z"}}
                """);
    }

    /** A PatchOp request with these operations (a JSON array). */
    private static JsonNode ops(String operations) {
        return json("{\"schemas\": [\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"], \"Operations\": " + operations + "}");
    }

    private static ObjectNode patch(String operations) {
        return USERS.apply(user(), ops(operations));
    }

    private static void fails(String operations, String scimType) {
        assertThatThrownBy(() -> patch(operations)).isInstanceOfSatisfying(ScimException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.scimType()).as(e.getMessage()).isEqualTo(scimType);
        });
    }

    @Test
    void requestMustBeAPatchOpWithOperations() {
        assertThatThrownBy(() -> USERS.apply(user(), json("{\"Operations\": [{\"op\": \"add\", \"path\": \"title\", \"value\": \"x\"}]}")))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo("invalidSyntax"));
        assertThatThrownBy(() -> USERS.apply(user(), ops("[]")))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo("invalidSyntax"));
        fails("[{\"op\": \"merge\", \"path\": \"title\", \"value\": \"x\"}]", "invalidSyntax");
    }

    @Test
    void opNamesAreCaseInsensitiveAsEntraSendsThem() {
        ObjectNode patched = patch("[{\"op\": \"Replace\", \"path\": \"active\", \"value\": false},"
                + " {\"op\": \"Add\", \"path\": \"title\", \"value\": \"Tour Guide\"}]");
        assertThat(patched.get("active").booleanValue()).isFalse();
        assertThat(patched.get("title").textValue()).isEqualTo("Tour Guide");
    }

    @Test
    void theInputIsNeverChanged() {
        ObjectNode original = user();
        USERS.apply(original, ops("[{\"op\": \"remove\", \"path\": \"emails\"}, {\"op\": \"replace\", \"path\": \"userName\", \"value\": \"x\"}]"));
        assertThat(original).isEqualTo(user());
        assertThatThrownBy(() -> USERS.apply(original, ops("[{\"op\": \"replace\", \"path\": \"title\", \"value\": \"x\"},"
                + " {\"op\": \"replace\", \"path\": \"id\", \"value\": \"y\"}]"))).isInstanceOf(ScimException.class);
        assertThat(original).isEqualTo(user());
    }

    @Test
    void addWithoutPathSetsAttributesAndAppendsValues() {
        ObjectNode patched = patch("[{\"op\": \"add\", \"value\": {\"nickName\": \"Babs\","
                + " \"emails\": [{\"value\": \"b@work.example\", \"type\": \"other\"}]}}]");
        assertThat(patched.get("nickName").textValue()).isEqualTo("Babs");
        assertThat(patched.get("emails")).hasSize(3);
        assertThat(patched.get("emails").get(2).get("value").textValue()).isEqualTo("b@work.example");
    }

    @Test
    void addOfAValueAlreadyThereDoesNotDuplicateIt() {
        ObjectNode patched = patch("[{\"op\": \"add\", \"path\": \"emails\", \"value\": [{\"value\": \"babs@jensen.org\", \"type\": \"home\"}]}]");
        assertThat(patched.get("emails")).hasSize(2);
    }

    @Test
    void addOfAComplexValueMerges() {
        ObjectNode patched = patch("[{\"op\": \"add\", \"path\": \"name\", \"value\": {\"middleName\": \"Jane\"}}]");
        assertThat(patched.get("name")).isEqualTo(json("{\"givenName\": \"Barbara\", \"familyName\": \"Jensen\", \"middleName\": \"Jane\"}"));
    }

    @Test
    void pathlessReplaceTakesDottedAndUrnPrefixedKeys() {
        ObjectNode patched = patch("""
                [{"op": "Replace", "value": {
                  "name.givenName": "Babs",
                  "urn:ietf:params:scim:schemas:core:2.0:User:displayName": "Babs Jensen",
                  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": "Tours",
                  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"costCenter": "4130"},
                  "ACTIVE": false}}]
                """);
        assertThat(patched.at("/name/givenName").textValue()).isEqualTo("Babs");
        assertThat(patched.at("/name/familyName").textValue()).isEqualTo("Jensen");
        assertThat(patched.get("displayName").textValue()).isEqualTo("Babs Jensen");
        assertThat(patched.get("active").booleanValue()).isFalse();
        assertThat(patched.get(ENTERPRISE)).isEqualTo(json("{\"department\": \"Tours\", \"costCenter\": \"4130\"}"));
        assertThat(patched.get("schemas")).containsExactly(JSON.getNodeFactory().textNode(ScimSchemas.USER),
                JSON.getNodeFactory().textNode(ENTERPRISE));
    }

    @Test
    void urnPrefixedPathsReachTheExtension() {
        ObjectNode patched = patch("""
                [{"op": "add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "value": "26118915"},
                 {"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", "value": "701984"}]
                """);
        assertThat(patched.get(ENTERPRISE)).isEqualTo(json("{\"manager\": {\"value\": \"26118915\"}, \"employeeNumber\": \"701984\"}"));
        ObjectNode changed = USERS.apply(patched, ops("""
                [{"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value", "value": "42"}]
                """));
        assertThat(changed.at("/" + ENTERPRISE.replace("/", "~1") + "/manager/value").textValue()).isEqualTo("42");
        ObjectNode removed = USERS.apply(changed, ops("""
                [{"op": "remove", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"}]
                """));
        assertThat(removed.has(ENTERPRISE)).isFalse();
        assertThat(removed.get("schemas")).hasSize(1);
    }

    @Test
    void replaceThroughAFilterWithASubAttribute() {
        ObjectNode patched = patch("[{\"op\": \"replace\", \"path\": \"emails[type eq \\\"work\\\"].value\", \"value\": \"bj@example.com\"}]");
        assertThat(patched.at("/emails/0/value").textValue()).isEqualTo("bj@example.com");
        assertThat(patched.at("/emails/1/value").textValue()).isEqualTo("babs@jensen.org");
    }

    @Test
    void replaceThroughAFilterMergesIntoTheMatchingValues() {
        ObjectNode patched = patch("[{\"op\": \"replace\", \"path\": \"emails[value ew \\\".org\\\"]\", \"value\": {\"display\": \"Home\"}}]");
        assertThat(patched.at("/emails/1")).isEqualTo(json("{\"value\": \"babs@jensen.org\", \"type\": \"home\", \"display\": \"Home\"}"));
    }

    @Test
    void filtersMatchingNothingAreNoTarget() {
        fails("[{\"op\": \"replace\", \"path\": \"emails[type eq \\\"other\\\"].value\", \"value\": \"x@y\"}]", "noTarget");
        fails("[{\"op\": \"remove\", \"path\": \"emails[type eq \\\"other\\\"]\"}]", "noTarget");
        fails("[{\"op\": \"remove\", \"path\": \"ims[type eq \\\"xmpp\\\"]\"}]", "noTarget");
        fails("[{\"op\": \"add\", \"path\": \"emails[value co \\\"@\\\" and type eq \\\"other\\\"].value\", \"value\": \"x@y\"}]", "noTarget");
    }

    @Test
    void removeWithoutPathIsNoTarget() {
        fails("[{\"op\": \"remove\"}]", "noTarget");
    }

    @Test
    void addThroughAnEqFilterMatchingNothingCreatesTheValueAsEntraExpects() {
        ObjectNode patched = patch("[{\"op\": \"Add\", \"path\": \"phoneNumbers[type eq \\\"mobile\\\"].value\", \"value\": \"+1 555 0100\"}]");
        assertThat(patched.get("phoneNumbers")).isEqualTo(JSON.createArrayNode().add(json("{\"type\": \"mobile\", \"value\": \"+1 555 0100\"}")));
    }

    @Test
    void removeThroughAFilterAndOfASubAttribute() {
        ObjectNode patched = patch("[{\"op\": \"remove\", \"path\": \"emails[type eq \\\"home\\\"]\"},"
                + " {\"op\": \"remove\", \"path\": \"name.familyName\"}]");
        assertThat(patched.get("emails")).hasSize(1);
        assertThat(patched.get("name")).isEqualTo(json("{\"givenName\": \"Barbara\"}"));
        ObjectNode none = USERS.apply(patched, ops("[{\"op\": \"remove\", \"path\": \"emails[type eq \\\"work\\\"]\"}]"));
        assertThat(none.has("emails")).isFalse();
    }

    @Test
    void valuesOfTheWrongTypeAreInvalidValue() {
        fails("[{\"op\": \"replace\", \"path\": \"active\", \"value\": \"False\"}]", "invalidValue");
        fails("[{\"op\": \"replace\", \"path\": \"userName\", \"value\": 5}]", "invalidValue");
        fails("[{\"op\": \"replace\", \"path\": \"name\", \"value\": \"Barbara\"}]", "invalidValue");
        fails("[{\"op\": \"add\", \"path\": \"emails\", \"value\": [{\"value\": \"a@b\", \"colour\": \"red\"}]}]", "invalidValue");
        fails("[{\"op\": \"add\", \"path\": \"emails\", \"value\": [{\"value\": \"a@b\", \"primary\": \"yes\"}]}]", "invalidValue");
        fails("[{\"op\": \"replace\", \"path\": \"title\", \"value\": [\"a\", \"b\"]}]", "invalidValue");
        fails("[{\"op\": \"replace\", \"value\": \"not an object\"}]", "invalidValue");
        fails("[{\"op\": \"add\", \"path\": \"title\"}]", "invalidValue");
    }

    @Test
    void requiredAttributesCannotBeRemoved() {
        fails("[{\"op\": \"remove\", \"path\": \"userName\"}]", "invalidValue");
    }

    @Test
    void badPathsAreInvalidPath() {
        fails("[{\"op\": \"replace\", \"path\": \"nothing\", \"value\": \"x\"}]", "invalidPath");
        fails("[{\"op\": \"replace\", \"path\": \"name.nothing\", \"value\": \"x\"}]", "invalidPath");
        fails("[{\"op\": \"replace\", \"path\": \"emails[type eq \\\"work\\\"\", \"value\": \"x\"}]", "invalidPath");
        fails("[{\"op\": \"replace\", \"path\": \"userName[value eq \\\"x\\\"]\", \"value\": \"x\"}]", "invalidPath");
        fails("[{\"op\": \"replace\", \"value\": {\"nothing\": 1}}]", "invalidPath");
        fails("[{\"op\": \"replace\", \"path\": 7, \"value\": \"x\"}]", "invalidPath");
    }

    @Test
    void readOnlyAttributesAreMutabilityErrors() {
        fails("[{\"op\": \"replace\", \"path\": \"id\", \"value\": \"other\"}]", "mutability");
        fails("[{\"op\": \"replace\", \"path\": \"meta.created\", \"value\": \"2020-01-01T00:00:00Z\"}]", "mutability");
        fails("[{\"op\": \"remove\", \"path\": \"meta\"}]", "mutability");
        fails("[{\"op\": \"add\", \"path\": \"groups\", \"value\": [{\"value\": \"g2\"}]}]", "mutability");
        fails("[{\"op\": \"replace\", \"value\": {\"groups\": []}}]", "mutability");
        fails("[{\"op\": \"replace\", \"value\": {\"id\": \"other\"}}]", "mutability");
    }

    @Test
    void aReadOnlyValueEchoedUnchangedIsIgnored() {
        ObjectNode patched = patch("[{\"op\": \"replace\", \"value\": {\"id\": \"2819c223\", \"active\": false,"
                + " \"schemas\": [\"urn:ietf:params:scim:schemas:core:2.0:User\"]}}]");
        assertThat(patched.get("active").booleanValue()).isFalse();
        assertThat(patched.get("id").textValue()).isEqualTo("2819c223");
    }

    @Test
    void primaryOnOneValueClearsItOnTheOthers() {
        ObjectNode added = patch("[{\"op\": \"add\", \"path\": \"emails\", \"value\": [{\"value\": \"new@example.com\", \"primary\": true}]}]");
        assertThat(added.at("/emails/0/primary").booleanValue()).isFalse();
        assertThat(added.at("/emails/2/primary").booleanValue()).isTrue();

        ObjectNode switched = patch("[{\"op\": \"replace\", \"path\": \"emails[type eq \\\"home\\\"].primary\", \"value\": true}]");
        assertThat(switched.at("/emails/0/primary").booleanValue()).isFalse();
        assertThat(switched.at("/emails/1/primary").booleanValue()).isTrue();

        fails("[{\"op\": \"add\", \"path\": \"emails\", \"value\": [{\"value\": \"a@x\", \"primary\": true},"
                + " {\"value\": \"b@x\", \"primary\": true}]}]", "invalidValue");
    }

    @Test
    void namesAreWrittenInTheModelsSpelling() {
        ObjectNode patched = patch("[{\"op\": \"replace\", \"path\": \"NAME.GIVENNAME\", \"value\": \"B\"},"
                + " {\"op\": \"add\", \"path\": \"EMAILS\", \"value\": {\"VALUE\": \"c@x\", \"Type\": \"other\"}}]");
        assertThat(patched.at("/name/givenName").textValue()).isEqualTo("B");
        assertThat(patched.at("/emails/2")).isEqualTo(json("{\"value\": \"c@x\", \"type\": \"other\"}"));
    }

    // Groups: members as Entra ID and Okta change them.

    private static ObjectNode group() {
        return json("""
                {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "g1", "displayName": "Tour Guides",
                 "members": [{"value": "u1", "display": "Babs"}, {"value": "u2"}]}
                """);
    }

    @Test
    void membersAreAddedAndRemovedByValue() {
        ObjectNode added = GROUPS.apply(group(), ops("[{\"op\": \"Add\", \"path\": \"members\", \"value\": [{\"value\": \"u3\", \"display\": \"ignored\"}]}]"));
        assertThat(added.get("members")).hasSize(3);
        assertThat(added.at("/members/2")).isEqualTo(json("{\"value\": \"u3\"}"));

        ObjectNode removed = GROUPS.apply(added, ops("[{\"op\": \"Remove\", \"path\": \"members\", \"value\": [{\"value\": \"u1\"}, {\"value\": \"u3\"}]}]"));
        assertThat(removed.get("members")).containsExactly(json("{\"value\": \"u2\"}"));

        ObjectNode filtered = GROUPS.apply(group(), ops("[{\"op\": \"remove\", \"path\": \"members[value eq \\\"u2\\\"]\"}]"));
        assertThat(filtered.get("members")).hasSize(1);

        ObjectNode replaced = GROUPS.apply(group(), ops("[{\"op\": \"replace\", \"path\": \"members\", \"value\": [{\"value\": \"u9\"}]}]"));
        assertThat(replaced.get("members")).containsExactly(json("{\"value\": \"u9\"}"));
    }

    @Test
    void anExistingMembersImmutableValueCannotChange() {
        assertThatThrownBy(() -> GROUPS.apply(group(), ops("[{\"op\": \"replace\", \"path\": \"members[value eq \\\"u2\\\"].value\", \"value\": \"u7\"}]")))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo("mutability"));
    }
}
