package io.latchkey.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.model.config.LatchkeyConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigMappings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What each service reads at run time, as environment variable names: the source of truth for the
 * manifests' settings.
 * <ul>
 * <li>every {@code latchkey.*} property of {@link LatchkeyConfig}, as SmallRye Config maps it;</li>
 * <li>every property of the service's own {@code @ConfigMapping} interfaces, loaded from its compiled classes,
 * and every property its application.properties declares;</li>
 * <li>every run-time {@code quarkus.*} property of the Quarkus extensions on this module's test class path,
 * which mirror the services' extensions, from each extension's own config model;</li>
 * <li>{@code JAVA_TOOL_OPTIONS}, which the JVM reads, and {@code MALLOC_ARENA_MAX}, which glibc's malloc reads.</li>
 * </ul>
 * Names follow MicroProfile Config's rule for environment variables: each character other than a letter or
 * a digit becomes {@code _}, and the whole name is upper case.
 */
final class ServiceSettings {

    static final Set<String> JVM = Set.of("JAVA_TOOL_OPTIONS", "MALLOC_ARENA_MAX");

    private static Set<String> latchkey;
    private static Set<String> quarkus;

    private ServiceSettings() {
    }

    static String environmentName(String property) {
        StringBuilder name = new StringBuilder(property.length());
        for (char c : property.toCharArray()) {
            name.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
        }
        return name.toString();
    }

    /** Every variable the service reads. */
    static Set<String> readable(String service) {
        Set<String> names = new TreeSet<>(latchkey());
        names.addAll(declaredBy(service));
        names.addAll(mappedBy(service));
        names.addAll(quarkusRunTime());
        names.addAll(JVM);
        return names;
    }

    /** The properties of {@link LatchkeyConfig}, from SmallRye Config's own view of the mapping. */
    static synchronized Set<String> latchkey() {
        if (latchkey == null) {
            Set<String> names = new TreeSet<>();
            ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(LatchkeyConfig.class, "latchkey"))
                    .keySet().forEach(p -> names.add(environmentName(p)));
            latchkey = Collections.unmodifiableSet(names);
        }
        return latchkey;
    }

    /** The keys of a service's src/main/resources/application.properties, profile prefixes removed. */
    static Set<String> declaredBy(String service) {
        Path file = Kustomize.root().resolve(service).resolve("src/main/resources/application.properties");
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Set<String> names = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            names.add(environmentName(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key));
        }
        return names;
    }

    /**
     * The properties of the {@code @ConfigMapping} interfaces in a service's compiled classes
     * (target/classes; the reactor compiles the services before this module).
     */
    static synchronized Set<String> mappedBy(String service) {
        return MAPPED.computeIfAbsent(service, ServiceSettings::loadMappings);
    }

    private static final Map<String, Set<String>> MAPPED = new HashMap<>();

    private static Set<String> loadMappings(String service) {
        Path classes = Kustomize.root().resolve(service).resolve("target/classes");
        if (!Files.isDirectory(classes)) {
            throw new IllegalStateException(classes + " is missing: compile " + service + " first (mvn -B -pl " + service + " compile)");
        }
        Set<String> names = new TreeSet<>();
        byte[] marker = "Lio/smallrye/config/ConfigMapping;".getBytes(StandardCharsets.UTF_8);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, ServiceSettings.class.getClassLoader());
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                if (!contains(Files.readAllBytes(file), marker)) {
                    continue;
                }
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, loader);
                ConfigMapping mapping = type.getAnnotation(ConfigMapping.class);
                if (mapping != null) {
                    ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(type, mapping.prefix()))
                            .keySet().forEach(p -> names.add(environmentName(p)));
                }
            }
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot read the settings of " + service + " from " + classes, e);
        }
        return Collections.unmodifiableSet(names);
    }

    private static boolean contains(byte[] bytes, byte[] marker) {
        outer:
        for (int i = 0; i <= bytes.length - marker.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (bytes[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * The default {@link LatchkeyConfig} gives a {@code latchkey.*} property, as the services see it when neither
     * their application.properties nor the environment set it; null when it has none.
     */
    static String latchkeyDefault(String property) {
        var config = new io.smallrye.config.SmallRyeConfigBuilder()
                .withMapping(LatchkeyConfig.class)
                .withConverter(java.time.Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withSources(new io.smallrye.config.PropertiesConfigSource(Map.of("latchkey.issuer", "http://localhost:8080"),
                        "required", 100))
                .build();
        return config.getOptionalValue(property, String.class).orElse(null);
    }

    /** A property a service's application.properties sets, or null. */
    static String declaredValue(String service, String property) {
        Path file = Kustomize.root().resolve(service).resolve("src/main/resources/application.properties");
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return properties.getProperty(property);
    }

    /** Run-time properties (not build-time ones: those are fixed in the image) of every extension. */
    static synchronized Set<String> quarkusRunTime() {
        if (quarkus == null) {
            Set<String> names = new TreeSet<>();
            ObjectMapper json = new ObjectMapper();
            try {
                for (URL model : Collections.list(ServiceSettings.class.getClassLoader()
                        .getResources("META-INF/quarkus-config-doc/quarkus-config-model.json"))) {
                    try (InputStream in = model.openStream()) {
                        collect(json.readTree(in), names);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            quarkus = Collections.unmodifiableSet(names);
        }
        return quarkus;
    }

    private static void collect(JsonNode node, Set<String> names) {
        if (node.isObject()) {
            JsonNode path = node.get("path");
            if (path != null && path.has("environmentVariable") && "RUN_TIME".equals(node.path("phase").asText())) {
                names.add(path.get("environmentVariable").asText());
                node.path("additionalPaths").forEach(p -> names.add(p.path("environmentVariable").asText()));
            }
            node.forEach(child -> collect(child, names));
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, names));
        }
    }
}
