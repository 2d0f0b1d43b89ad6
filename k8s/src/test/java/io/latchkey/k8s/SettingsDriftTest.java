package io.latchkey.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every environment variable the manifests set is one the service it reaches actually reads. */
class SettingsDriftTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyVariableTheManifestsSetIsReadByTheServiceItReaches(String overlay) {
        Rendered rendered = Kustomize.overlay(overlay);
        for (String service : Rendered.SERVICES) {
            assertThat(unread(rendered, service)).as(overlay + ": variables " + service + " does not read").isEmpty();
        }
    }

    @Test
    void aMisspeltVariableIsReported(@TempDir Path dir) throws IOException {
        // An overlay on top of production with one misspelt latchkey.* and two misspelt quarkus.* names.
        Files.writeString(dir.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - %s
                configMapGenerator:
                  - name: latchkey-settings
                    behavior: merge
                    literals:
                      - LATCHKEY_LIFETIMES_ACCESS_TOKENS=10m
                      - QUARKUS_REDIS_HOST=redis://elsewhere:6379
                      - QUARKUS_DATASOURCE_REACTIVE_URI=postgresql://elsewhere:5432/latchkey
                """.formatted(dir.relativize(Kustomize.root().resolve("k8s/overlays/production"))));
        Rendered rendered = Kustomize.render(dir);
        for (String service : Rendered.SERVICES) {
            assertThat(unread(rendered, service)).containsExactly("LATCHKEY_LIFETIMES_ACCESS_TOKENS",
                    "QUARKUS_DATASOURCE_REACTIVE_URI", "QUARKUS_REDIS_HOST");
        }
    }

    @Test
    void aSettingOfOneServiceSetOnTheOtherIsReported(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - %s
                patches:
                  - target: {kind: Deployment, name: authorize-service}
                    patch: |-
                      - op: add
                        path: /spec/template/spec/containers/0/env/-
                        value: {name: TOKEN_SERVICE_RETRY_AFTER_SECONDS, value: "3"}
                """.formatted(dir.relativize(Kustomize.root().resolve("k8s/overlays/production"))));
        Rendered rendered = Kustomize.render(dir);
        assertThat(unread(rendered, "authorize-service")).containsExactly("TOKEN_SERVICE_RETRY_AFTER_SECONDS");
        assertThat(unread(rendered, "token-service")).isEmpty();
    }

    @Test
    void theReadableNamesComeFromTheSettingsInterfacesAndTheExtensionsConfigModels() {
        assertThat(ServiceSettings.environmentName("latchkey.lifetimes.code-replay-window"))
                .isEqualTo("LATCHKEY_LIFETIMES_CODE_REPLAY_WINDOW");
        assertThat(ServiceSettings.environmentName("quarkus.log.category.\"io.latchkey\".level"))
                .isEqualTo("QUARKUS_LOG_CATEGORY__IO_LATCHKEY__LEVEL");
        assertThat(ServiceSettings.latchkey()).contains("LATCHKEY_ISSUER", "LATCHKEY_TOKEN_SERVICE_URL",
                "LATCHKEY_REALM_FILE", "LATCHKEY_KEYS_FILE", "LATCHKEY_REDIS_TIMEOUT", "LATCHKEY_LIFETIMES_REFRESH_TOKEN_MAX",
                "LATCHKEY_DIRECTORY_BOOTSTRAP", "LATCHKEY_DIRECTORY_TIMEOUT", "LATCHKEY_DIRECTORY_CACHE_REFRESH",
                "LATCHKEY_DIRECTORY_CACHE_SIZE");
        assertThat(ServiceSettings.quarkusRunTime()).contains("QUARKUS_REDIS_HOSTS", "QUARKUS_REDIS_CLIENT_TYPE",
                "QUARKUS_REDIS_MASTER_NAME", "QUARKUS_REDIS_PASSWORD", "QUARKUS_SHUTDOWN_TIMEOUT", "QUARKUS_HTTP_PORT",
                // The directory's connection, which the Deployments take from the Secret latchkey-postgres.
                "QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD");
        assertThat(ServiceSettings.mappedBy("token-service")).contains("TOKEN_SERVICE_RETRY_AFTER_SECONDS");
        assertThat(ServiceSettings.mappedBy("authorize-service")).anyMatch(n -> n.startsWith("LATCHKEY_LOGIN_THROTTLE_"))
                .doesNotContain("TOKEN_SERVICE_RETRY_AFTER_SECONDS");
        // Build-time settings are baked into the image; setting them in a Deployment would do nothing.
        assertThat(ServiceSettings.quarkusRunTime()).doesNotContain("QUARKUS_SMALLRYE_HEALTH_ROOT_PATH",
                "QUARKUS_REDIS_HEALTH_ENABLED");
    }

    /**
     * The run-time quarkus.* names come from the config models of the extensions on this module's test
     * class path; a service that adds an extension this module lacks would make its settings look unread
     * (or, worse, let a misspelling of them pass), so each service's extensions must be here too.
     */
    @Test
    void everyQuarkusExtensionTheServicesDeclareIsOnThisModulesClassPath() throws IOException {
        List<String> classPath = List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator));
        for (String service : Rendered.SERVICES) {
            for (String extension : quarkusExtensions(Kustomize.root().resolve(service).resolve("pom.xml"))) {
                assertThat(classPath).as(extension + ", which " + service + " declares; add it to k8s/pom.xml")
                        .anyMatch(entry -> Path.of(entry).getFileName().toString().startsWith(extension + "-3."));
            }
        }
    }

    static Set<String> unread(Rendered rendered, String service) {
        Set<String> unread = new TreeSet<>(rendered.environment(rendered.container(service)).keySet());
        unread.removeAll(ServiceSettings.readable(service));
        return unread;
    }

    /** The io.quarkus runtime dependencies of a pom, test scope left out. */
    static List<String> quarkusExtensions(Path pom) throws IOException {
        String xml = Files.readString(pom).replaceAll("(?s)<!--.*?-->", "");
        Matcher dependency = Pattern.compile("(?s)<dependency>(.*?)</dependency>").matcher(xml);
        List<String> extensions = new ArrayList<>();
        while (dependency.find()) {
            String body = dependency.group(1);
            if (body.contains("<groupId>io.quarkus</groupId>") && !body.contains("<scope>test</scope>")) {
                Matcher artifact = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(body);
                if (artifact.find()) {
                    extensions.add(artifact.group(1).trim());
                }
            }
        }
        assertThat(extensions).as(pom + " declares Quarkus extensions").isNotEmpty();
        return extensions;
    }
}
