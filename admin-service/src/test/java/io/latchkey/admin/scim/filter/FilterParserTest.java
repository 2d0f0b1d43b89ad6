package io.latchkey.admin.scim.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.latchkey.admin.scim.ScimException;
import io.latchkey.admin.scim.path.AttrPath;
import io.latchkey.admin.scim.path.PatchPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FilterParserTest {

    private static AttrPath path(String name) {
        return AttrPath.parse(name, "invalidFilter");
    }

    private static Filter.Comparison eq(String name, String value) {
        return new Filter.Comparison(path(name), CompareOp.EQ, TextNode.valueOf(value));
    }

    // Each example of RFC 7644 §3.4.2.2, with the tree it must give.

    @Test
    void rfcUserNameEq() {
        assertThat(FilterParser.parse("userName eq \"bjensen\"")).isEqualTo(eq("userName", "bjensen"));
    }

    @Test
    void rfcSubAttributeContainsWithQuote() {
        assertThat(FilterParser.parse("name.familyName co \"O'Malley\"")).isEqualTo(
                new Filter.Comparison(new AttrPath(null, "name", "familyName"), CompareOp.CO, TextNode.valueOf("O'Malley")));
    }

    @Test
    void rfcStartsWith() {
        assertThat(FilterParser.parse("userName sw \"J\"")).isEqualTo(
                new Filter.Comparison(path("userName"), CompareOp.SW, TextNode.valueOf("J")));
    }

    @Test
    void rfcUrnPrefixedPath() {
        Filter filter = FilterParser.parse("urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"J\"");
        assertThat(filter).isEqualTo(new Filter.Comparison(
                new AttrPath("urn:ietf:params:scim:schemas:core:2.0:User", "userName", null), CompareOp.SW, TextNode.valueOf("J")));
    }

    @Test
    void rfcPresent() {
        assertThat(FilterParser.parse("title pr")).isEqualTo(new Filter.Present(path("title")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gt", "ge", "lt", "le"})
    void rfcMetaLastModifiedOrderings(String op) {
        assertThat(FilterParser.parse("meta.lastModified " + op + " \"2011-05-13T04:42:34Z\"")).isEqualTo(
                new Filter.Comparison(new AttrPath(null, "meta", "lastModified"), CompareOp.of(op).orElseThrow(),
                        TextNode.valueOf("2011-05-13T04:42:34Z")));
    }

    @Test
    void rfcPresentAndEq() {
        assertThat(FilterParser.parse("title pr and userType eq \"Employee\"")).isEqualTo(
                new Filter.And(new Filter.Present(path("title")), eq("userType", "Employee")));
    }

    @Test
    void rfcPresentOrEq() {
        assertThat(FilterParser.parse("title pr or userType eq \"Intern\"")).isEqualTo(
                new Filter.Or(new Filter.Present(path("title")), eq("userType", "Intern")));
    }

    @Test
    void rfcSchemasEqExtensionUrn() {
        assertThat(FilterParser.parse("schemas eq \"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\""))
                .isEqualTo(eq("schemas", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"));
    }

    @Test
    void rfcAndWithParenthesizedOr() {
        assertThat(FilterParser.parse("userType eq \"Employee\" and (emails co \"example.com\" or emails.value co \"example.org\")"))
                .isEqualTo(new Filter.And(eq("userType", "Employee"), new Filter.Or(
                        new Filter.Comparison(path("emails"), CompareOp.CO, TextNode.valueOf("example.com")),
                        new Filter.Comparison(path("emails.value"), CompareOp.CO, TextNode.valueOf("example.org")))));
    }

    @Test
    void rfcNeAndNot() {
        assertThat(FilterParser.parse("userType ne \"Employee\" and not (emails co \"example.com\" or emails.value co \"example.org\")"))
                .isEqualTo(new Filter.And(
                        new Filter.Comparison(path("userType"), CompareOp.NE, TextNode.valueOf("Employee")),
                        new Filter.Not(new Filter.Or(
                                new Filter.Comparison(path("emails"), CompareOp.CO, TextNode.valueOf("example.com")),
                                new Filter.Comparison(path("emails.value"), CompareOp.CO, TextNode.valueOf("example.org"))))));
    }

    @Test
    void rfcParenthesizedSubAttribute() {
        assertThat(FilterParser.parse("userType eq \"Employee\" and (emails.type eq \"work\")"))
                .isEqualTo(new Filter.And(eq("userType", "Employee"), eq("emails.type", "work")));
    }

    @Test
    void rfcValuePath() {
        assertThat(FilterParser.parse("userType eq \"Employee\" and emails[type eq \"work\" and value co \"@example.com\"]"))
                .isEqualTo(new Filter.And(eq("userType", "Employee"), new Filter.ValuePath(path("emails"), new Filter.And(
                        eq("type", "work"), new Filter.Comparison(path("value"), CompareOp.CO, TextNode.valueOf("@example.com"))))));
    }

    @Test
    void rfcTwoValuePathsOr() {
        assertThat(FilterParser.parse("emails[type eq \"work\" and value co \"@example.com\"] or ims[type eq \"xmpp\" and value co \"@foo.com\"]"))
                .isEqualTo(new Filter.Or(
                        new Filter.ValuePath(path("emails"), new Filter.And(eq("type", "work"),
                                new Filter.Comparison(path("value"), CompareOp.CO, TextNode.valueOf("@example.com")))),
                        new Filter.ValuePath(path("ims"), new Filter.And(eq("type", "xmpp"),
                                new Filter.Comparison(path("value"), CompareOp.CO, TextNode.valueOf("@foo.com"))))));
    }

    // Grammar details.

    @Test
    void precedenceIsNotThenAndThenOr() {
        assertThat(FilterParser.parse("a pr or b pr and not (c pr) or d pr")).isEqualTo(
                new Filter.Or(new Filter.Or(new Filter.Present(path("a")),
                        new Filter.And(new Filter.Present(path("b")), new Filter.Not(new Filter.Present(path("c"))))),
                        new Filter.Present(path("d"))));
    }

    @Test
    void keywordsAndOperatorsAreCaseInsensitive() {
        assertThat(FilterParser.parse("userName EQ \"x\" AND Title Pr OR NOT (active Eq TRUE)")).isEqualTo(
                new Filter.Or(new Filter.And(eq("userName", "x"), new Filter.Present(path("Title"))),
                        new Filter.Not(new Filter.Comparison(path("active"), CompareOp.EQ, BooleanNode.TRUE))));
    }

    @Test
    void valuesAreJsonLiterals() {
        assertThat(((Filter.Comparison) FilterParser.parse("a eq null")).value()).isEqualTo(NullNode.getInstance());
        assertThat(((Filter.Comparison) FilterParser.parse("a eq false")).value()).isEqualTo(BooleanNode.FALSE);
        assertThat(((Filter.Comparison) FilterParser.parse("a gt -12")).value().longValue()).isEqualTo(-12);
        assertThat(((Filter.Comparison) FilterParser.parse("a gt 1.5e3")).value().decimalValue()).isEqualByComparingTo("1500");
        assertThat(((Filter.Comparison) FilterParser.parse("a eq \"q\\\"u\\\\o\\u00e9\\n]\"")).value().textValue())
                .isEqualTo("q\"u\\oé\n]");
    }

    @Test
    void patchPathsParse() {
        assertThat(PatchPath.parse("members")).isEqualTo(new PatchPath(path("members"), null));
        assertThat(PatchPath.parse("name.familyName")).isEqualTo(new PatchPath(path("name.familyName"), null));
        assertThat(PatchPath.parse("emails[type eq \"work\"].value")).isEqualTo(
                new PatchPath(new AttrPath(null, "emails", "value"), eq("type", "work")));
        assertThat(PatchPath.parse("members[value eq \"2819c223-7f76-453a-919d-413861904646\"]")).isEqualTo(
                new PatchPath(path("members"), eq("value", "2819c223-7f76-453a-919d-413861904646")));
        assertThat(PatchPath.parse("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value")).isEqualTo(
                new PatchPath(new AttrPath("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "manager", "value"), null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"emails[type eq \"work\"", "emails[type eq \"work\"]value", "emails[type eq \"work\"].",
            "emails.value[type eq \"work\"]", "", "name..x", "emails[type eq \"work\"] extra"})
    void badPatchPathsAreInvalidPath(String path) {
        assertThatThrownBy(() -> PatchPath.parse(path)).isInstanceOfSatisfying(ScimException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.scimType()).isEqualTo("invalidPath");
        });
    }

    // Hostile and malformed input: 400 invalidFilter naming where.

    private static void invalid(String filter, String detail) {
        assertThatThrownBy(() -> FilterParser.parse(filter)).isInstanceOfSatisfying(ScimException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.scimType()).isEqualTo("invalidFilter");
            assertThat(e.getMessage()).contains(detail);
        });
    }

    @Test
    void malformedFiltersNameThePosition() {
        invalid("userName eq", "at the end");
        invalid("userName eq \"x", "at character 13: unterminated string");
        invalid("userName xx \"x\"", "at character 10: 'xx' is not an operator");
        invalid("userName eq \"x\" and", "at the end");
        invalid("(userName eq \"x\"", "at the end: expected ')'");
        invalid("userName eq \"x\")", "at character 16");
        invalid("userName eq bjensen", "at character 13: expected a value");
        invalid("userName eq \"a\\q\"", "unknown escape");
        invalid("userName eq 01", "malformed number");
        invalid("userName eq \"x\" ; drop table users", "unexpected ';'");
        invalid("emails[type eq \"a\" and x[y eq \"b\"]]", "brackets may not nest");
        invalid("emails[urn:x:y:type eq \"a\"]", "only sub-attribute names");
        invalid("", "empty");
        invalid("not userName eq \"x\"", "'userName' is not an operator");
    }

    @Test
    void tooLongIsRefusedBeforeParsing() {
        invalid("userName eq \"" + "x".repeat(FilterParser.MAX_LENGTH) + "\"", "longer than 2048");
    }

    @Test
    void deepNestingIsRefusedAtTheLimitNotByTheStack() {
        String ok = "(".repeat(16) + "a pr" + ")".repeat(16);
        assertThat(FilterParser.parse(ok)).isEqualTo(new Filter.Present(path("a")));
        invalid("(".repeat(17) + "a pr" + ")".repeat(17), "at character 17: nesting deeper than 16");
        invalid("not (".repeat(400), "nesting deeper than 16");
        invalid("(".repeat(2000), "nesting deeper than 16");
    }

    @Test
    void tooManyComparisonsAreRefused() {
        String sixtyFour = String.join(" or ", java.util.Collections.nCopies(64, "a pr"));
        assertThat(FilterParser.parse(sixtyFour)).isInstanceOf(Filter.Or.class);
        invalid(sixtyFour + " or b pr", "more than 64 comparisons");
    }
}
