package io.latchkey.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dev overlay: one replica each, Redis and PostgreSQL in the cluster, the demo realm on http://localhost. */
class DevOverlayTest {

    private static Rendered dev;

    @BeforeAll
    static void render() {
        dev = Kustomize.overlay("dev");
    }

    @Test
    void oneReplicaOfEachServiceAndNoAutoscaler() {
        for (String service : Rendered.SERVICES) {
            assertThat(dev.deployment(service).getSpec().getReplicas()).isEqualTo(1);
        }
        assertThat(dev.autoscalers()).isEmpty();
    }

    @Test
    void theServicesReachTheInClusterRedisThroughItsService() {
        assertThat(dev.deployment("redis").getSpec().getReplicas()).isEqualTo(1);
        Service redis = dev.service("redis");
        assertThat(dev.deployment("redis").getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(redis.getSpec().getSelector());
        for (String service : Rendered.SERVICES) {
            Map<String, String> env = dev.environment(dev.container(service));
            URI url = URI.create(env.get("QUARKUS_REDIS_HOSTS"));
            assertThat(url.getHost()).isEqualTo("redis");
            assertThat(redis.getSpec().getPorts()).anySatisfy(p -> assertThat(p.getPort()).isEqualTo(url.getPort()));
            assertThat(env).doesNotContainKey("QUARKUS_REDIS_CLIENT_TYPE");
        }
    }

    /**
     * One PostgreSQL pod whose data outlives it: a StatefulSet with a volume claim, its data directory a
     * subdirectory of the volume (whose root may hold lost+found), run as the image's own user.
     */
    @Test
    void theInClusterPostgresIsOneStatefulPodOnAVolumeClaim() {
        StatefulSet postgres = dev.statefulSet("postgres");
        assertThat(postgres.getSpec().getReplicas()).isEqualTo(1);
        Service governing = dev.service(postgres.getSpec().getServiceName());
        assertThat(governing.getSpec().getClusterIP()).as("headless").isEqualTo("None");
        assertThat(postgres.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(governing.getSpec().getSelector());

        assertThat(postgres.getSpec().getVolumeClaimTemplates()).singleElement().satisfies(claim -> {
            assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
            assertThat(claim.getSpec().getResources().getRequests().get("storage")).isNotNull();
        });
        PersistentVolumeClaim claim = postgres.getSpec().getVolumeClaimTemplates().get(0);
        Container c = postgres.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getImage()).matches("postgres:1[56](\\..*)?");
        VolumeMount data = c.getVolumeMounts().stream().filter(m -> m.getName().equals(claim.getMetadata().getName()))
                .findFirst().orElseThrow(() -> new AssertionError("the claim is not mounted"));
        String pgdata = value(c, "PGDATA");
        assertThat(pgdata).as("PGDATA a subdirectory of the volume").startsWith(data.getMountPath() + "/")
                .isNotEqualTo(data.getMountPath() + "/");
        // The socket directory is writable on a read-only root.
        assertThat(c.getVolumeMounts()).extracting(VolumeMount::getMountPath).contains("/var/run/postgresql");

        var pod = postgres.getSpec().getTemplate().getSpec().getSecurityContext();
        assertThat(pod.getRunAsUser()).isEqualTo(999L);
        assertThat(pod.getFsGroup()).isEqualTo(999L);
        assertThat(pod.getFsGroupChangePolicy()).as("no recursive chmod of the data directory at each start")
                .isEqualTo("OnRootMismatch");
        for (var probe : List.of(c.getReadinessProbe(), c.getStartupProbe())) {
            assertThat(String.join(" ", probe.getExec().getCommand())).contains("pg_isready").contains("-h 127.0.0.1");
        }
    }

    /** The dev Secret's URL names the PostgreSQL Service, and its user and database are the ones PostgreSQL creates. */
    @Test
    void theServicesReachTheInClusterPostgresThroughItsSecret() {
        StatefulSet postgres = dev.statefulSet("postgres");
        Container c = postgres.getSpec().getTemplate().getSpec().getContainers().get(0);
        String secretName = c.getEnv().stream().filter(v -> v.getName().equals("POSTGRES_PASSWORD")).findFirst()
                .orElseThrow().getValueFrom().getSecretKeyRef().getName();
        Map<String, String> secret = decoded(dev.named(Secret.class, secretName));
        for (String service : Rendered.SERVICES) {
            assertThat(dev.environment(dev.container(service))).as(service + " reads the Secret PostgreSQL is made with")
                    .containsEntry("QUARKUS_DATASOURCE_REACTIVE_URL", "<secret " + secretName + "/uri>")
                    .containsEntry("QUARKUS_DATASOURCE_USERNAME", "<secret " + secretName + "/username>")
                    .containsEntry("QUARKUS_DATASOURCE_PASSWORD", "<secret " + secretName + "/password>");
        }
        URI url = URI.create(secret.get("uri"));
        assertThat(url.getScheme()).isEqualTo("postgresql");
        Service service = dev.service(url.getHost());
        assertThat(service.getSpec().getPorts()).anySatisfy(p -> assertThat(p.getPort()).isEqualTo(url.getPort()));
        assertThat(postgres.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(url.getPath()).isEqualTo("/" + value(c, "POSTGRES_DB"));
        assertThat(c.getEnv()).filteredOn(v -> v.getName().equals("POSTGRES_USER")).singleElement()
                .satisfies(v -> assertThat(v.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("username"));
        assertThat(secret.get("password")).isNotBlank();
    }

    private static String value(Container c, String name) {
        return c.getEnv().stream().filter(v -> v.getName().equals(name)).map(EnvVar::getValue).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " has no " + name));
    }

    private static Map<String, String> decoded(Secret secret) {
        Map<String, String> values = new java.util.HashMap<>();
        if (secret.getStringData() != null) {
            values.putAll(secret.getStringData());
        }
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> values.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        return values;
    }

    /** docs/kubernetes.md, "Redis requirements": even a throwaway Redis never evicts, and is bounded below its limit. */
    @Test
    void theInClusterRedisNeverEvictsAndIsBoundedBelowItsMemoryLimit() {
        var redis = dev.container("redis");
        List<String> args = redis.getArgs();
        assertThat(args).containsSubsequence("--maxmemory-policy", "noeviction");
        long maxmemory = Long.parseLong(args.get(args.indexOf("--maxmemory") + 1).replace("mb", "")) * 1024 * 1024;
        assertThat(maxmemory).isLessThan(redis.getResources().getLimits().get("memory").getNumericalAmount().longValue());
    }

    @Test
    void theIssuerIsPlainHttpOnLocalhostOnly() {
        assertThat(dev.environment(dev.container("authorize-service"))).containsEntry("LATCHKEY_ISSUER", "http://localhost");
        assertThat(dev.ingress().getSpec().getRules().get(0).getHost()).isEqualTo("localhost");
        assertThat(dev.ingress().getSpec().getTls()).isEmpty();
    }

    @Test
    void signingKeysAreGeneratedIntoRedisWithoutASecret() {
        for (String service : Rendered.SERVICES) {
            assertThat(dev.environment(dev.container(service))).doesNotContainKey("LATCHKEY_KEYS_FILE");
        }
    }

    @Test
    void theDevRealmIsTheDemoRealm() throws Exception {
        String realmMap = EveryOverlayTest.mountedFile(dev, "authorize-service",
                dev.environment(dev.container("authorize-service")).get("LATCHKEY_REALM_FILE")).volume()
                .getConfigMap().getName();
        assertThat(dev.named(ConfigMap.class, realmMap).getData().get("realm.yaml"))
                .isEqualTo(Files.readString(Kustomize.root().resolve("examples/realm/demo-realm.yaml")));
    }
}
