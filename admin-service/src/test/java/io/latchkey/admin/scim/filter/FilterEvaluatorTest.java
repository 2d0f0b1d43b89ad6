package io.latchkey.admin.scim.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.admin.scim.ScimException;
import io.latchkey.admin.scim.schema.AttributeDefinition;
import io.latchkey.admin.scim.schema.AttributeType;
import io.latchkey.admin.scim.schema.ResourceType;
import io.latchkey.admin.scim.schema.Schema;
import io.latchkey.admin.scim.schema.ScimSchemas;
import java.util.List;
import org.junit.jupiter.api.Test;

class FilterEvaluatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FilterEvaluator USERS = new FilterEvaluator(ScimSchemas.USER_TYPE);

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static final JsonNode BJENSEN = json("""
            {"id": "u00", "externalId": "Ext-1", "userName": "BJensen", "title": "", "nickName": null,
             "name": {"givenName": "Barbara", "familyName": "Jensen"}, "active": true,
             "emails": [{"value": "bjensen@example.com", "type": "work"}, {"value": "babs@home.org", "type": "home", "primary": true}],
             "phoneNumbers": [], "addresses": [{}],
             "meta": {"lastModified": "2011-05-13T04:42:34Z"},
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Tours", "manager": {"value": "u09"}}}
            """);

    private static boolean matches(String filter) {
        return USERS.matches(FilterParser.parse(filter), BJENSEN);
    }

    @Test
    void stringsAreCaseInsensitiveUnlessCaseExact() {
        assertThat(matches("userName eq \"bjensen\"")).isTrue();
        assertThat(matches("USERNAME EQ \"BJENSEN\"")).isTrue();
        assertThat(matches("id eq \"U00\"")).isFalse();
        assertThat(matches("id eq \"u00\"")).isTrue();
        assertThat(matches("externalId eq \"ext-1\"")).isFalse();
        assertThat(matches("externalId sw \"Ext\"")).isTrue();
    }

    @Test
    void aMultiValuedAttributeMatchesWhenAnyValueDoes() {
        assertThat(matches("emails.value ew \".org\"")).isTrue();
        assertThat(matches("emails co \"example.com\"")).isTrue();
        assertThat(matches("emails.type eq \"other\"")).isFalse();
        assertThat(matches("emails[type eq \"work\" and value ew \".org\"]")).isFalse();
        assertThat(matches("emails[type eq \"home\" and primary eq true]")).isTrue();
        assertThat(matches("emails.value ne \"bjensen@example.com\"")).isTrue();
    }

    @Test
    void presentMeansAValueThatIsNeitherNullNorEmpty() {
        assertThat(matches("userName pr")).isTrue();
        assertThat(matches("title pr")).isFalse();
        assertThat(matches("nickName pr")).isFalse();
        assertThat(matches("phoneNumbers pr")).isFalse();
        assertThat(matches("addresses pr")).isFalse();
        assertThat(matches("displayName pr")).isFalse();
        assertThat(matches("name pr")).isTrue();
        assertThat(matches("emails.primary pr")).isTrue();
        assertThat(matches("displayName eq null")).isTrue();
    }

    @Test
    void orderingIsLexicalChronologicalOrNumerical() {
        assertThat(matches("userName gt \"bj\"")).isTrue();
        assertThat(matches("userName lt \"bjensen\"")).isFalse();
        assertThat(matches("userName le \"bjensen\"")).isTrue();
        assertThat(matches("meta.lastModified eq \"2011-05-13T06:42:34+02:00\"")).isTrue();
        assertThat(matches("meta.lastModified gt \"2011-05-13T05:00:00+02:00\"")).isTrue();
        assertThat(matches("meta.lastModified lt \"2011-05-13T04:42:35\"")).isTrue();

        AttributeDefinition age = AttributeDefinition.builder("age", AttributeType.INTEGER).build();
        FilterEvaluator numbers = new FilterEvaluator(new ResourceType("T", "T", "/T", "test",
                new Schema("urn:example:T", "T", "test", List.of(age)), List.of()));
        assertThat(numbers.matches(FilterParser.parse("age gt 9"), json("{\"age\": 10}"))).isTrue();
        assertThat(numbers.matches(FilterParser.parse("age ge 10.0"), json("{\"age\": 10}"))).isTrue();
        assertThat(numbers.matches(FilterParser.parse("age lt 1e1"), json("{\"age\": 10}"))).isFalse();
        assertThatThrownBy(() -> numbers.compile(FilterParser.parse("age gt \"9\""))).isInstanceOf(ScimException.class);
        assertThatThrownBy(() -> numbers.compile(FilterParser.parse("age co 9"))).isInstanceOf(ScimException.class);
    }

    @Test
    void booleansTakeEqAndNeOnly() {
        assertThat(matches("active eq true")).isTrue();
        assertThat(matches("active ne true")).isFalse();
        for (String filter : List.of("active gt false", "active co \"t\"", "active eq \"true\"", "active eq 1")) {
            assertThatThrownBy(() -> matches(filter)).as(filter)
                    .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo("invalidFilter"));
        }
    }

    @Test
    void extensionAttributesWithOrWithoutTheirUrn() {
        assertThat(matches("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq \"tours\"")).isTrue();
        assertThat(matches("department eq \"Tours\"")).isTrue();
        assertThat(matches("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"u09\"")).isTrue();
        assertThatThrownBy(() -> matches("urn:ietf:params:scim:schemas:core:2.0:User:department eq \"Tours\""))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.scimType()).isEqualTo("invalidFilter"));
    }

    @Test
    void bracketsOnASingularComplexAttribute() {
        assertThat(matches("name[givenName eq \"barbara\" and not (familyName sw \"x\")]")).isTrue();
    }

    @Test
    void notIsTrueForAnAbsentAttribute() {
        assertThat(matches("not (displayName eq \"x\")")).isTrue();
        assertThat(matches("displayName ne \"x\"")).isFalse();
    }
}
