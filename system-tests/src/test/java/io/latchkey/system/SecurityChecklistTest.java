package io.latchkey.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps SECURITY.md honest: every row of its checklist names at least one test as
 * {@code `Class#method`}, and every named method exists as a test in some module's test sources. (That the
 * named tests pass is what the rest of {@code mvn verify} proves.)
 */
class SecurityChecklistTest {

    private static final Pattern REFERENCE = Pattern.compile("`([A-Z][A-Za-z0-9]*)#([a-z][A-Za-z0-9]*)`");
    private static final Pattern TEST_ANNOTATION = Pattern.compile("@(Test|ParameterizedTest|RepeatedTest)\\b");

    @Test
    void everyChecklistRowNamesTestsThatExistInTheSourceTree() throws IOException {
        Path root = Stack.root();
        List<String> rows = Files.readAllLines(root.resolve("SECURITY.md")).stream()
                .filter(line -> line.matches("\\|\\s*\\d+\\s*\\|.*"))
                .toList();
        assertThat(rows).as("checklist rows in SECURITY.md").hasSizeGreaterThanOrEqualTo(12);

        Map<String, List<Path>> testSources = testSources(root);
        List<String> problems = new ArrayList<>();
        int references = 0;
        for (String row : rows) {
            String number = row.split("\\|")[1].trim();
            Matcher m = REFERENCE.matcher(row);
            int inRow = 0;
            while (m.find()) {
                inRow++;
                references++;
                String problem = check(testSources, m.group(1), m.group(2));
                if (problem != null) {
                    problems.add("row " + number + ": " + problem);
                }
            }
            if (inRow == 0) {
                problems.add("row " + number + " names no test");
            }
        }
        System.out.printf("SECURITY.md: %d rows, %d test references checked%n", rows.size(), references);
        assertThat(problems).as("SECURITY.md names tests that do not exist").isEmpty();
    }

    @Test
    void checkerWhenMethodOrClassIsMissingThenReportsIt() throws IOException {
        Map<String, List<Path>> testSources = testSources(Stack.root());
        assertThat(check(testSources, "SecurityChecklistTest", "everyChecklistRowNamesTestsThatExistInTheSourceTree")).isNull();
        assertThat(check(testSources, "SecurityChecklistTest", "noSuchMethod")).contains("no test method");
        assertThat(check(testSources, "NoSuchTestClass", "anything")).contains("no test class");
        // A helper that exists but is not a test does not count.
        assertThat(check(testSources, "SecurityChecklistTest", "testSources")).contains("no test method");
    }

    /** Null when {@code clazz} has a test method {@code method}; otherwise what is wrong. */
    private static String check(Map<String, List<Path>> testSources, String clazz, String method) {
        List<Path> files = testSources.get(clazz);
        if (files == null) {
            return "no test class " + clazz;
        }
        Pattern declaration = Pattern.compile("\\bvoid\\s+" + Pattern.quote(method) + "\\s*\\(");
        for (Path file : files) {
            List<String> lines = read(file);
            for (int i = 0; i < lines.size(); i++) {
                if (declaration.matcher(lines.get(i)).find() && annotatedAsTest(lines, i)) {
                    return null;
                }
            }
        }
        return "no test method " + clazz + "#" + method + " in " + files;
    }

    /** Whether a test annotation sits between the previous member's end (or the class header) and the declaration. */
    private static boolean annotatedAsTest(List<String> lines, int declaration) {
        for (int i = declaration - 1; i >= 0; i--) {
            String line = lines.get(i);
            if (TEST_ANNOTATION.matcher(line).find()) {
                return true;
            }
            if (line.matches("\\s*}\\s*") || line.contains(" class ") || line.trim().endsWith(";")) {
                return false;
            }
        }
        return false;
    }

    /** Every {@code *.java} under a module's {@code src/test/java}, by simple class name. */
    private static Map<String, List<Path>> testSources(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root, 12)) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/test/java/"))
                    .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/node_modules/"))
                    .collect(Collectors.groupingBy(p -> p.getFileName().toString().replace(".java", "")));
        }
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
