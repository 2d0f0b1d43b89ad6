package io.latchkey.model.realm;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The text of a realm file, so that an error can name where in the file it is: the line and the path of
 * the offending setting ({@code realm.yaml line 42, users[3].claims.middle_name: ...}).
 */
public record RealmSource(Path file, String text) {

    /** An error at a path such as {@code users[3].claims.middle_name}, with the line the setting is on. */
    public RealmException error(String path, String expected) {
        return new RealmException("Realm file " + file + lineOf(path).map(line -> " line " + line).orElse("") + ", " + path
                + ": " + expected, null);
    }

    /**
     * The line of the setting at {@code path}, or of its closest enclosing setting when a key itself holds
     * a dot or bracket (a claim named after a URL) and the path cannot be split back into keys.
     */
    Optional<Integer> lineOf(String path) {
        List<String> steps = steps(path);
        for (int n = steps.size(); n > 0; n--) {
            String pointer = steps.subList(0, n).stream().map(s -> "/" + s.replace("~", "~0").replace("/", "~1"))
                    .collect(Collectors.joining());
            Optional<JsonLocation> found = locate(RealmImporter.YAML, text, pointer);
            if (found.isPresent()) {
                return Optional.of(found.get().getLineNr());
            }
        }
        return Optional.empty();
    }

    /** Where the token at a JSON Pointer (RFC 6901, keys unescaped) starts, scanning the file once. */
    static Optional<JsonLocation> locate(ObjectMapper mapper, String text, String pointer) {
        try (JsonParser parser = mapper.createParser(text)) {
            while (parser.nextToken() != null) {
                if (parser.getParsingContext().pathAsPointer().toString().equals(pointer)) {
                    return Optional.of(parser.currentTokenLocation());
                }
            }
        } catch (IOException ignored) {
            // the file parsed once already; a second failure just leaves the line out
        }
        return Optional.empty();
    }

    private static List<String> steps(String path) {
        List<String> steps = new ArrayList<>();
        for (String part : path.split("\\.")) {
            int bracket = part.indexOf('[');
            steps.add(bracket < 0 ? part : part.substring(0, bracket));
            while (bracket >= 0) {
                int close = part.indexOf(']', bracket);
                if (close < 0) {
                    break;
                }
                steps.add(part.substring(bracket + 1, close));
                bracket = part.indexOf('[', close);
            }
        }
        steps.removeIf(String::isEmpty);
        return steps;
    }
}
