package io.latchkey.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Renders a kustomization with the real kustomize that kubectl carries, and parses what it prints. */
final class Kustomize {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Kustomize() {
    }

    /** The repository root (set by the build; the k8s module's parent when run from an IDE). */
    static Path root() {
        String root = System.getProperty("latchkey.root");
        return (root != null ? Path.of(root) : Path.of("..")).toAbsolutePath().normalize();
    }

    static Rendered overlay(String name) {
        return render(root().resolve("k8s/overlays").resolve(name));
    }

    static Rendered render(Path dir) {
        List<String> command = command(dir);
        try {
            Path out = Files.createTempFile("kustomize", ".yaml");
            Path err = Files.createTempFile("kustomize", ".err");
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within 60 s");
            }
            String yaml = Files.readString(out, StandardCharsets.UTF_8);
            String errors = Files.readString(err, StandardCharsets.UTF_8);
            Files.delete(out);
            Files.delete(err);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + errors);
            }
            return new Rendered(dir, yaml, parse(yaml));
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            if (document.isBlank()) {
                continue;
            }
            Object parsed = SERIALIZATION.unmarshal(document);
            if (parsed instanceof KubernetesList list) {
                objects.addAll(list.getItems());
            } else {
                objects.add((HasMetadata) parsed);
            }
        }
        return objects;
    }

    /** kubectl's built-in kustomize, or a standalone kustomize binary. */
    private static List<String> command(Path dir) {
        Optional<Path> kubectl = onPath("kubectl");
        if (kubectl.isPresent()) {
            return List.of(kubectl.get().toString(), "kustomize", dir.toString());
        }
        Optional<Path> kustomize = onPath("kustomize");
        if (kustomize.isPresent()) {
            return List.of(kustomize.get().toString(), "build", dir.toString());
        }
        throw new IllegalStateException("Rendering the manifests needs kubectl (1.27 or newer, with kustomize built in) "
                + "or kustomize 5 on the PATH: install the kubectl package (Debian/Ubuntu: apt-get install kubectl "
                + "from the Kubernetes apt repository) or a kustomize release.");
    }

    private static Optional<Path> onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
