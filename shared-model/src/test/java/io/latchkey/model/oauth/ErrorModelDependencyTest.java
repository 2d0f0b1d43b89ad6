package io.latchkey.model.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The OAuth error model is the bottom of shared-model: the stores, the parser and both services depend on
 * it, and it on none of them (a store failure reaches it through {@link ClientFacingFailure}).
 */
class ErrorModelDependencyTest {

    /** The error model depends on no other package of shared-model; the stores depend on it, never the reverse. */
    @Test
    void oauthPackageImportsNoOtherPackageOfTheModel() throws IOException {
        Path oauth = Path.of("src/main/java/io/latchkey/model/oauth");
        try (Stream<Path> files = Files.list(oauth)) {
            List<String> imports = files.flatMap(ErrorModelDependencyTest::lines)
                    .filter(line -> line.startsWith("import io.latchkey.") && !line.startsWith("import io.latchkey.model.oauth."))
                    .toList();
            assertThat(imports).isEmpty();
        }
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
