package io.latchkey.bench.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.bench.oidc.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated directory holds the benchmark realm's users as they are, so its clients and logins work on it. */
class RealmGeneratorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theFirstUsersAreTheBenchmarkRealmsOwn(@TempDir Path dir) throws Exception {
        Path root = Path.of(System.getProperty("latchkey.root", "..")).toAbsolutePath().normalize();
        String yaml = Files.readString(root.resolve("bench/realm/latchkey-bench-realm.yaml"));
        Matcher user = Pattern.compile("- id: (\\S+)\\s+username: (\\S+)\\s+passwordHash: '([^']+)'").matcher(yaml);
        Path file = dir.resolve("realm.json");
        RealmGenerator.latchkeyRealm(file, 100);
        JsonNode users = JSON.readTree(file.toFile()).path("users");
        assertThat(users).hasSize(100);
        int i = 0;
        while (user.find()) {
            assertThat(users.get(i).path("id").asText()).isEqualTo(user.group(1));
            assertThat(users.get(i).path("username").asText()).isEqualTo(user.group(2));
            assertThat(users.get(i).path("passwordHash").asText()).isEqualTo(user.group(3));
            i++;
        }
        assertThat(i).isEqualTo(Target.BENCH_USERS);
        assertThat(users.get(99).path("username").asText()).isEqualTo("bench-user-99");
    }

    @Test
    void theKeycloakExportHasTheSameUsersAndHash(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("export.json");
        RealmGenerator.keycloakExport(file, 10);
        JsonNode export = JSON.readTree(file.toFile());
        assertThat(export.path("realm").asText()).isEqualTo("bench");
        JsonNode seventh = export.path("users").get(7);
        assertThat(seventh.path("id").asText()).isEqualTo(RealmGenerator.id(7));
        JsonNode secret = JSON.readTree(seventh.path("credentials").get(0).path("secretData").asText());
        // PHC Base64 is standard Base64 without padding.
        assertThat(RealmGenerator.PASSWORD_HASH).endsWith("$" + secret.path("salt").asText().replace("=", "") + "$"
                + secret.path("value").asText().replace("=", ""));
    }

    @Test
    void loginsVisitEveryUserOnceBeforeAnyAgain() {
        for (int size : List.of(1, 7, 64, 1000, 1_000_000)) {
            Target target = Target.benchRealm("t", "http://localhost", size);
            int rounds = Math.min(size, 5000);
            Set<String> seen = new HashSet<>();
            for (long n = 0; n < rounds; n++) {
                assertThat(seen.add(target.scatteredUser(n))).as("login %d of %d users", n, size).isTrue();
            }
        }
    }
}
