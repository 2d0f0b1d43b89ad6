package io.latchkey.admin.scim.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.latchkey.admin.scim.ScimException;
import io.latchkey.admin.scim.path.AttrPath;
import io.latchkey.admin.scim.path.PatchPath;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the filter grammar of RFC 7644 §3.4.2.2 (and the PATCH path of §3.5.2, which embeds it) into a
 * {@link Filter}. Precedence: {@code not} over {@code and} over {@code or}; keywords and operators are
 * case-insensitive; values are JSON literals. Hostile input is refused before it costs anything: at most
 * {@link #MAX_LENGTH} characters, {@link #MAX_DEPTH} nested parentheses or brackets (so the descent never
 * recurses deeper, whatever the input), {@link #MAX_COMPARISONS} comparisons. Every error is 400 invalidFilter
 * (invalidPath for a PATCH path) naming the character where it was found.
 */
public final class FilterParser {

    public static final int MAX_LENGTH = 2048;
    public static final int MAX_DEPTH = 16;
    public static final int MAX_COMPARISONS = 64;

    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private enum Kind { LPAREN, RPAREN, LBRACKET, RBRACKET, WORD, STRING, NUMBER, END }

    private record Token(Kind kind, String text, JsonNode value, int position) {
        boolean isWord(String keyword) {
            return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
        }
    }

    private final String text;
    private final String scimType;
    private final List<Token> tokens;
    private int next;
    private int depth;
    private int comparisons;
    private boolean inValuePath;

    private FilterParser(String text, String scimType) {
        this.text = text;
        this.scimType = scimType;
        if (text == null || text.isBlank()) {
            throw ScimException.badRequest(scimType, "The " + what() + " is empty.");
        }
        if (text.length() > MAX_LENGTH) {
            throw ScimException.badRequest(scimType, "The " + what() + " is longer than " + MAX_LENGTH + " characters.");
        }
        this.tokens = tokenize();
    }

    /** Parses a filter ({@code filter} query parameter or SearchRequest member); errors are invalidFilter. */
    public static Filter parse(String filter) {
        FilterParser parser = new FilterParser(filter, "invalidFilter");
        Filter parsed = parser.or();
        parser.expect(Kind.END, "the end of the filter");
        return parsed;
    }

    /** Parses a PATCH path (RFC 7644 §3.5.2); errors are invalidPath. */
    public static PatchPath parsePatchPath(String path) {
        FilterParser parser = new FilterParser(path, "invalidPath");
        Token first = parser.expect(Kind.WORD, "an attribute path");
        AttrPath attribute = parser.attrPath(first);
        if (parser.peek().kind() != Kind.LBRACKET) {
            parser.expect(Kind.END, "the end of the path");
            return new PatchPath(attribute, null);
        }
        Filter filter = parser.valuePath(attribute, first).filter();
        Token after = parser.peek();
        if (after.kind() == Kind.WORD && after.text().startsWith(".")) {
            parser.next++;
            AttrPath sub = parser.attrPath(new Token(Kind.WORD, "x" + after.text(), null, after.position()));
            attribute = attribute.withSubAttribute(sub.subAttribute());
        }
        parser.expect(Kind.END, "the end of the path");
        return new PatchPath(attribute, filter);
    }

    private String what() {
        return "invalidPath".equals(scimType) ? "path" : "filter";
    }

    // or := and ("or" and)*  -- loops, not recursion, for long chains
    private Filter or() {
        Filter left = and();
        while (peek().isWord("or")) {
            next++;
            left = new Filter.Or(left, and());
        }
        return left;
    }

    private Filter and() {
        Filter left = unary();
        while (peek().isWord("and")) {
            next++;
            left = new Filter.And(left, unary());
        }
        return left;
    }

    private Filter unary() {
        Token token = peek();
        if (token.isWord("not") && peek(1).kind() == Kind.LPAREN) {
            next++;
            return new Filter.Not(parenthesized());
        }
        if (token.kind() == Kind.LPAREN) {
            return parenthesized();
        }
        return attributeExpression();
    }

    private Filter parenthesized() {
        Token open = expect(Kind.LPAREN, "'('");
        enter(open);
        Filter inner = or();
        expect(Kind.RPAREN, "')'");
        depth--;
        return inner;
    }

    private Filter attributeExpression() {
        Token pathToken = expect(Kind.WORD, "an attribute path, '(' or 'not ('");
        AttrPath path = attrPath(pathToken);
        if (inValuePath && (path.urn() != null || path.subAttribute() != null)) {
            throw error(pathToken, "inside brackets only sub-attribute names may appear");
        }
        if (peek().kind() == Kind.LBRACKET) {
            return valuePath(path, pathToken);
        }
        Token operator = expect(Kind.WORD, "an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr)");
        if (operator.isWord("pr")) {
            count(operator);
            return new Filter.Present(path);
        }
        Optional<CompareOp> op = CompareOp.of(operator.text());
        if (op.isEmpty()) {
            throw error(operator, "'" + operator.text() + "' is not an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr)");
        }
        Token value = nextToken();
        JsonNode literal = switch (value.kind()) {
            case STRING, NUMBER -> value.value();
            case WORD -> value.isWord("true") ? BooleanNode.TRUE : value.isWord("false") ? BooleanNode.FALSE
                    : value.isWord("null") ? NullNode.getInstance() : null;
            default -> null;
        };
        if (literal == null) {
            throw error(value, "expected a value (a JSON string, number, true, false or null)");
        }
        count(operator);
        return new Filter.Comparison(path, op.get(), literal);
    }

    private Filter.ValuePath valuePath(AttrPath path, Token pathToken) {
        Token open = expect(Kind.LBRACKET, "'['");
        if (inValuePath) {
            throw error(open, "brackets may not nest");
        }
        if (path.subAttribute() != null) {
            throw error(pathToken, "brackets follow an attribute, not a sub-attribute");
        }
        enter(open);
        inValuePath = true;
        Filter inner = or();
        expect(Kind.RBRACKET, "']'");
        inValuePath = false;
        depth--;
        return new Filter.ValuePath(path, inner);
    }

    private AttrPath attrPath(Token token) {
        try {
            return AttrPath.parse(token.text(), scimType);
        } catch (ScimException e) {
            throw error(token, "'" + token.text() + "' is not an attribute path");
        }
    }

    private void enter(Token token) {
        if (++depth > MAX_DEPTH) {
            throw error(token, "nesting deeper than " + MAX_DEPTH + " levels");
        }
    }

    private void count(Token token) {
        if (++comparisons > MAX_COMPARISONS) {
            throw error(token, "more than " + MAX_COMPARISONS + " comparisons");
        }
    }

    private Token peek() {
        return peek(0);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(next + ahead, tokens.size() - 1));
    }

    private Token nextToken() {
        Token token = peek();
        if (token.kind() != Kind.END) {
            next++;
        }
        return token;
    }

    private Token expect(Kind kind, String expected) {
        Token token = peek();
        if (token.kind() != kind) {
            throw error(token, "expected " + expected + (token.kind() == Kind.END ? "" : ", found '" + token.text() + "'"));
        }
        return nextToken();
    }

    private ScimException error(Token token, String problem) {
        return error(token.position(), problem);
    }

    private ScimException error(int position, String problem) {
        String where = position >= text.length() ? "at the end" : "at character " + (position + 1);
        return ScimException.badRequest(scimType, "Invalid " + what() + " " + where + ": " + problem + ".");
    }

    private List<Token> tokenize() {
        List<Token> list = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                i++;
            } else if (c == '(' || c == ')' || c == '[' || c == ']') {
                Kind kind = c == '(' ? Kind.LPAREN : c == ')' ? Kind.RPAREN : c == '[' ? Kind.LBRACKET : Kind.RBRACKET;
                list.add(new Token(kind, String.valueOf(c), null, i));
                i++;
            } else if (c == '"') {
                i = string(i, list);
            } else if (c == '-' || (c >= '0' && c <= '9')) {
                Matcher number = NUMBER.matcher(text).region(i, text.length());
                if (!number.lookingAt()) {
                    throw error(i, "malformed number");
                }
                int end = number.end();
                if (end < text.length() && wordChar(text.charAt(end))) {
                    throw error(i, "malformed number");
                }
                String literal = text.substring(i, end);
                list.add(new Token(Kind.NUMBER, literal, number(literal), i));
                i = end;
            } else if (wordChar(c)) {
                int start = i;
                while (i < text.length() && wordChar(text.charAt(i))) {
                    i++;
                }
                list.add(new Token(Kind.WORD, text.substring(start, i), null, start));
            } else {
                throw error(i, "unexpected '" + c + "'");
            }
        }
        list.add(new Token(Kind.END, "", null, text.length()));
        return list;
    }

    private static JsonNode number(String literal) {
        BigDecimal value = new BigDecimal(literal);
        if (literal.matches("-?[0-9]+") && literal.length() < 19) {
            return LongNode.valueOf(Long.parseLong(literal));
        }
        return DecimalNode.valueOf(value);
    }

    /** A JSON string (RFC 8259 §7) from the quote at {@code start}; returns the index after the closing quote. */
    private int string(int start, List<Token> list) {
        StringBuilder value = new StringBuilder();
        int i = start + 1;
        while (true) {
            if (i >= text.length()) {
                throw error(start, "unterminated string");
            }
            char c = text.charAt(i);
            if (c == '"') {
                list.add(new Token(Kind.STRING, text.substring(start, i + 1), TextNode.valueOf(value.toString()), start));
                return i + 1;
            }
            if (c < 0x20) {
                throw error(i, "control character in a string");
            }
            if (c != '\\') {
                value.append(c);
                i++;
                continue;
            }
            if (i + 1 >= text.length()) {
                throw error(start, "unterminated string");
            }
            char escaped = text.charAt(i + 1);
            switch (escaped) {
                case '"', '\\', '/' -> value.append(escaped);
                case 'b' -> value.append('\b');
                case 'f' -> value.append('\f');
                case 'n' -> value.append('\n');
                case 'r' -> value.append('\r');
                case 't' -> value.append('\t');
                case 'u' -> {
                    if (i + 6 > text.length() || !text.substring(i + 2, i + 6).matches("[0-9A-Fa-f]{4}")) {
                        throw error(i, "malformed \\u escape");
                    }
                    value.append((char) Integer.parseInt(text.substring(i + 2, i + 6), 16));
                    i += 4;
                }
                default -> throw error(i, "unknown escape '\\" + escaped + "'");
            }
            i += 2;
        }
    }

    private static boolean wordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '-' || c == ':' || c == '.' || c == '$';
    }
}
