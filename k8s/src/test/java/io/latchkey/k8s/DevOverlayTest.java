package io.latchkey.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dev overlay: one replica each, Redis in the cluster, the demo realm on http://localhost. */
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
