package io.latchkey.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The production overlay: independent scaling, disruption budgets, spread, Sentinel, keys from a Secret. */
class ProductionOverlayTest {

    private static Rendered production;

    @BeforeAll
    static void render() {
        production = Kustomize.overlay("production");
    }

    @Test
    void tokenServiceScalesOnCpuFromTwoToTwentyReplicasAndTheAutoscalerAloneSetsItsCount() {
        assertThat(production.autoscalers()).hasSize(1);
        HorizontalPodAutoscaler hpa = production.autoscalers().get(0);
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getApiVersion()).isEqualTo("apps/v1");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("token-service");
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(20);
        assertThat(hpa.getSpec().getMetrics()).singleElement().satisfies(m -> {
            assertThat(m.getType()).isEqualTo("Resource");
            assertThat(m.getResource().getName()).isEqualTo("cpu");
            assertThat(m.getResource().getTarget().getType()).isEqualTo("Utilization");
        });
        // Utilization is measured against the request, so the request must be there.
        assertThat(production.container("token-service").getResources().getRequests()).containsKey("cpu");
        assertThat(production.deployment("token-service").getSpec().getReplicas())
                .as("a replicas field would reset the autoscaler's count on every apply").isNull();
    }

    @Test
    void imagesComeFromARegistryAtAFixedTag() {
        for (String service : Rendered.SERVICES) {
            String image = production.container(service).getImage();
            assertThat(image).as(service).matches("[a-z0-9.-]+\\.[a-z]+(:[0-9]+)?/.+/" + service + ":[0-9][^:]*")
                    .doesNotEndWith(":latest").doesNotContain("SNAPSHOT");
            assertThat(production.container(service).getImagePullPolicy()).isEqualTo("IfNotPresent");
        }
    }

    @Test
    void productionLogsAreJsonAndDevLogsArePlainText() {
        Rendered dev = Kustomize.overlay("dev");
        for (String service : Rendered.SERVICES) {
            assertThat(production.environment(production.container(service))).containsEntry("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true");
            assertThat(ServiceSettings.declaredValue(service, "quarkus.log.console.json.enabled")).isEqualTo("false");
            assertThat(dev.environment(dev.container(service))).doesNotContainKey("QUARKUS_LOG_CONSOLE_JSON_ENABLED");
        }
    }

    @Test
    void authorizeServiceRunsAtLeastTwoReplicas() {
        assertThat(production.deployment("authorize-service").getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aDisruptionBudgetKeepsEachServiceServingDuringADrain() {
        assertThat(production.disruptionBudgets()).hasSize(2);
        for (String service : Rendered.SERVICES) {
            Deployment deployment = production.deployment(service);
            PodDisruptionBudget pdb = production.named(PodDisruptionBudget.class, service);
            assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                    .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
            int fewest = deployment.getSpec().getReplicas() != null ? deployment.getSpec().getReplicas()
                    : production.autoscalers().get(0).getSpec().getMinReplicas();
            assertThat(pdb.getSpec().getMinAvailable().getIntVal()).as(service + " can still lose a pod")
                    .isGreaterThanOrEqualTo(1).isLessThan(fewest);
        }
    }

    @Test
    void replicasSpreadOverZonesAndNodes() {
        for (String service : Rendered.SERVICES) {
            Deployment deployment = production.deployment(service);
            List<TopologySpreadConstraint> spread = deployment.getSpec().getTemplate().getSpec().getTopologySpreadConstraints();
            assertThat(spread).extracting(TopologySpreadConstraint::getTopologyKey)
                    .containsExactlyInAnyOrder("topology.kubernetes.io/zone", "kubernetes.io/hostname");
            assertThat(spread).allSatisfy(c -> {
                assertThat(c.getMaxSkew()).isEqualTo(1);
                assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                        .containsAllEntriesOf(c.getLabelSelector().getMatchLabels());
            });
        }
    }

    @Test
    void redisIsFoundThroughSentinelWithItsPasswordFromASecret() {
        for (String service : Rendered.SERVICES) {
            Map<String, String> env = production.environment(production.container(service));
            assertThat(env).containsEntry("QUARKUS_REDIS_CLIENT_TYPE", "sentinel")
                    .containsEntry("QUARKUS_REDIS_ROLE", "master")
                    .containsKey("QUARKUS_REDIS_MASTER_NAME")
                    .containsEntry("QUARKUS_REDIS_PASSWORD", "<secret latchkey-redis/password>");
            List<String> sentinels = List.of(env.get("QUARKUS_REDIS_HOSTS").split(","));
            assertThat(sentinels).as("a quorum needs at least three Sentinels").hasSizeGreaterThanOrEqualTo(3);
            assertThat(sentinels).allSatisfy(url -> {
                assertThat(URI.create(url).getScheme()).isIn("redis", "rediss");
                assertThat(URI.create(url).getPort()).isEqualTo(26379);
            });
        }
    }

    @Test
    void signingKeysComeFromTheSecretWhichTheOverlayNeverOverwrites() {
        String file = production.environment(production.container("token-service")).get("LATCHKEY_KEYS_FILE");
        assertThat(file).as("token-service LATCHKEY_KEYS_FILE").isNotNull();
        EveryOverlayTest.Mounted mounted = EveryOverlayTest.mountedFile(production, "token-service", file);
        assertThat(mounted.volume().getSecret().getSecretName()).isEqualTo(SigningKeySecret.SECRET_NAME);
        assertThat(mounted.key()).isEqualTo(SigningKeySecret.SECRET_KEY);
        assertThat(mounted.volume().getSecret().getOptional()).as("no keys, no start").isNotEqualTo(Boolean.TRUE);
        // Secrets are created by hand or by SigningKeySecret; an apply must not replace them with blanks.
        assertThat(production.all(Secret.class)).isEmpty();
    }

    @Test
    void authorizeServiceGetsNoPrivateKeyNorTheSigningKeySecret() {
        // It verifies id_token_hint with the public keys token-service publishes in Redis.
        assertThat(production.environment(production.container("authorize-service"))).doesNotContainKey("LATCHKEY_KEYS_FILE");
        var volumes = production.deployment("authorize-service").getSpec().getTemplate().getSpec().getVolumes();
        assertThat(volumes).noneMatch(v -> v.getSecret() != null && SigningKeySecret.SECRET_NAME.equals(v.getSecret().getSecretName()));
    }

    @Test
    void theProductionRealmHoldsNoPlainTextSecretOrPassword() throws Exception {
        String realmMap = EveryOverlayTest.mountedFile(production, "token-service",
                production.environment(production.container("token-service")).get("LATCHKEY_REALM_FILE")).volume()
                .getConfigMap().getName();
        String yaml = production.named(ConfigMap.class, realmMap).getData().get("realm.yaml");
        JsonNode realm = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        assertThat(realm.path("clients")).isNotEmpty();
        realm.path("clients").forEach(c -> assertThat(c.has("secret")).as(c.path("clientId") + " secret").isFalse());
        realm.path("users").forEach(u -> assertThat(u.has("password")).as(u.path("username") + " password").isFalse());
    }
}
