package io.latchkey.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The series selectors of a PromQL expression ({@code name{label="value", ...}}): just enough of the grammar to
 * hold the names and labels an alert or a dashboard queries against what the services really expose. Functions,
 * aggregations and their label lists, strings, ranges and numbers are skipped.
 */
final class PromQl {

    record Selector(String metric, List<Matcher> matchers) {
    }

    /** {@code label op "value"}, op one of =, !=, =~, !~. */
    record Matcher(String label, String op, String value) {
    }

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "offset", "bool", "inf", "nan",
            // Aggregations may take their label list before the parenthesis: sum by (le) (...).
            "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile");
    private static final Set<String> LABEL_LISTS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

    private PromQl() {
    }

    static List<Selector> selectors(String expr) {
        List<Selector> selectors = new ArrayList<>();
        int i = 0;
        while (i < expr.length()) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(expr, i);
            } else if (c == '#') {
                int end = expr.indexOf('\n', i);
                i = end < 0 ? expr.length() : end;
            } else if (c == '[') {
                i = expr.indexOf(']', i) + 1;
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < expr.length() && Character.isDigit(expr.charAt(i + 1)))) {
                while (i < expr.length() && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.')) {
                    i++;
                }
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int start = i;
                while (i < expr.length() && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_' || expr.charAt(i) == ':')) {
                    i++;
                }
                String word = expr.substring(start, i);
                int next = skipSpace(expr, i);
                char following = next < expr.length() ? expr.charAt(next) : ' ';
                if (LABEL_LISTS.contains(word)) {
                    i = following == '(' ? expr.indexOf(')', next) + 1 : next;
                } else if (following == '(' || KEYWORDS.contains(word)) {
                    i = next;
                } else if (following == '{') {
                    int end = closingBrace(expr, next);
                    selectors.add(new Selector(word, matchers(expr.substring(next + 1, end))));
                    i = end + 1;
                } else {
                    selectors.add(new Selector(word, List.of()));
                }
            } else if (c == '{') {
                int end = closingBrace(expr, i);
                List<Matcher> matchers = matchers(expr.substring(i + 1, end));
                String name = matchers.stream().filter(m -> m.label().equals("__name__")).map(Matcher::value).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("a selector without a metric name in " + expr));
                selectors.add(new Selector(name, matchers.stream().filter(m -> !m.label().equals("__name__")).toList()));
                i = end + 1;
            } else {
                i++;
            }
        }
        return selectors;
    }

    private static List<Matcher> matchers(String body) {
        List<Matcher> matchers = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*(,|$)").matcher(body);
        int at = 0;
        while (at < body.length() && m.find(at) && m.start() == at) {
            matchers.add(new Matcher(m.group(1), m.group(2), m.group(3)));
            at = m.end();
        }
        if (!body.substring(at).isBlank()) {
            throw new IllegalArgumentException("cannot read the label matchers {" + body + "}");
        }
        return matchers;
    }

    private static int closingBrace(String expr, int open) {
        int i = open + 1;
        while (i < expr.length() && expr.charAt(i) != '}') {
            i = expr.charAt(i) == '"' ? skipString(expr, i) : i + 1;
        }
        if (i >= expr.length()) {
            throw new IllegalArgumentException("unclosed { in " + expr);
        }
        return i;
    }

    private static int skipString(String expr, int open) {
        char quote = expr.charAt(open);
        int i = open + 1;
        while (i < expr.length() && expr.charAt(i) != quote) {
            i += expr.charAt(i) == '\\' && quote != '`' ? 2 : 1;
        }
        if (i >= expr.length()) {
            throw new IllegalArgumentException("unclosed string in " + expr);
        }
        return i + 1;
    }

    private static int skipSpace(String expr, int i) {
        while (i < expr.length() && Character.isWhitespace(expr.charAt(i))) {
            i++;
        }
        return i;
    }
}
