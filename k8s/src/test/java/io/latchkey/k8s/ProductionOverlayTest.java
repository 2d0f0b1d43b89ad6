package io.latchkey.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
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

/**
 * The production overlay: independent scaling, disruption budgets, spread over zones, scraping, Sentinel,
 * keys from a Secret.
 */
class ProductionOverlayTest {

    private static Rendered production;

    @BeforeAll
    static void render() {
        production = Kustomize.overlay("production");
    }

    /**
     * Both services scale on CPU, at least three replicas (one per zone), and the autoscaler alone sets the
     * count. Utilization is a percentage of the request: with a request far below the limit (250m of one
     * core) a 70 % target meant 175m, so the HPA scaled out pods that were mostly idle. The request is now
     * what the pod really gets, and the target a share of it the pod can reach.
     */
    @Test
    void bothPublicServicesScaleOnCpuFromThreeReplicasAgainstARequestNearTheirLimit() {
        assertThat(production.autoscalers()).hasSize(2);
        for (String service : Rendered.PUBLIC_SERVICES) {
            HorizontalPodAutoscaler hpa = production.named(HorizontalPodAutoscaler.class, service);
            assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
            assertThat(hpa.getSpec().getScaleTargetRef().getApiVersion()).isEqualTo("apps/v1");
            assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(service);
            assertThat(hpa.getSpec().getMinReplicas()).as(service + " one replica per zone").isGreaterThanOrEqualTo(3);
            assertThat(hpa.getSpec().getMaxReplicas()).isGreaterThan(hpa.getSpec().getMinReplicas());
            int utilization = hpa.getSpec().getMetrics().stream().filter(m -> m.getType().equals("Resource"))
                    .filter(m -> m.getResource().getName().equals("cpu")).findFirst()
                    .map(m -> {
                        assertThat(m.getResource().getTarget().getType()).isEqualTo("Utilization");
                        return m.getResource().getTarget().getAverageUtilization();
                    }).orElseThrow(() -> new AssertionError(service + " does not scale on CPU"));
            Container c = production.container(service);
            double request = c.getResources().getRequests().get("cpu").getNumericalAmount().doubleValue();
            double limit = c.getResources().getLimits().get("cpu").getNumericalAmount().doubleValue();
            double threshold = request * utilization / 100;
            assertThat(request / limit).as(service + " CPU request near the limit").isGreaterThanOrEqualTo(0.8);
            assertThat(threshold).as(service + " scales out at " + threshold + " CPU of a " + limit + " CPU limit")
                    .isBetween(0.5 * limit, 0.85 * limit);
            assertThat(production.deployment(service).getSpec().getReplicas())
                    .as("a replicas field would reset the autoscaler's count on every apply").isNull();
        }
    }

    /** A tag, or a digest for immutable, verifiable deployments (image@sha256:...). */
    @Test
    void imagesComeFromARegistryAtAFixedTagOrDigest() {
        for (String service : Rendered.SERVICES) {
            String image = production.container(service).getImage();
            assertThat(image).as(service).matches("[a-z0-9.-]+\\.[a-z]+(:[0-9]+)?/.+/" + service
                    + "(:[0-9][^:@]*|(:[0-9][^:@]*)?@sha256:[0-9a-f]{64})")
                    .doesNotEndWith(":latest").doesNotContain("SNAPSHOT");
            assertThat(production.container(service).getImagePullPolicy()).isEqualTo("IfNotPresent");
        }
    }

    @Test
    void imagePatternAcceptsADigestAndRefusesLatest() {
        String pattern = "[a-z0-9.-]+\\.[a-z]+(:[0-9]+)?/.+/token-service(:[0-9][^:@]*|(:[0-9][^:@]*)?@sha256:[0-9a-f]{64})";
        String digest = "sha256:" + "ab".repeat(32);
        assertThat("registry.example.com/latchkey/token-service@" + digest).matches(pattern);
        assertThat("registry.example.com/latchkey/token-service:0.1.0@" + digest).matches(pattern);
        assertThat("registry.example.com/latchkey/token-service:latest").doesNotMatch(pattern);
        assertThat("registry.example.com/latchkey/token-service@sha256:abc").doesNotMatch(pattern);
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
    void aDisruptionBudgetLetsADrainTakeOnePodOfEachServiceAtATime() {
        assertThat(production.disruptionBudgets()).hasSize(Rendered.SERVICES.size());
        for (String service : Rendered.SERVICES) {
            Deployment deployment = production.deployment(service);
            PodDisruptionBudget pdb = production.named(PodDisruptionBudget.class, service);
            assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                    .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
            // maxUnavailable follows the autoscaler's count; minAvailable: 1 would let a drain take all but one.
            assertThat(pdb.getSpec().getMinAvailable()).as(service + " minAvailable").isNull();
            assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).as(service + " maxUnavailable").isEqualTo(1);
        }
    }

    @Test
    void replicasSpreadOverZonesAndNodes() {
        for (String service : Rendered.PUBLIC_SERVICES) {
            Deployment deployment = production.deployment(service);
            List<TopologySpreadConstraint> spread = deployment.getSpec().getTemplate().getSpec().getTopologySpreadConstraints();
            assertThat(spread).extracting(TopologySpreadConstraint::getTopologyKey)
                    .containsExactlyInAnyOrder("topology.kubernetes.io/zone", "kubernetes.io/hostname");
            assertThat(spread).allSatisfy(c -> {
                assertThat(c.getMaxSkew()).isEqualTo(1);
                assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                        .containsAllEntriesOf(c.getLabelSelector().getMatchLabels());
            });
            // Three replicas at least, at most one zone ahead of another: one in each of three zones.
            assertThat(spread).filteredOn(c -> c.getTopologyKey().equals("topology.kubernetes.io/zone"))
                    .singleElement().satisfies(c -> assertThat(c.getWhenUnsatisfiable()).isEqualTo("DoNotSchedule"));
            assertThat(production.named(HorizontalPodAutoscaler.class, service).getSpec().getMinReplicas())
                    .isGreaterThanOrEqualTo(3);
        }
    }

    /**
     * admin-service is sized by hand: no autoscaler, two replicas on different nodes when there are two, so that a
     * drain or a rollout never leaves operators without it, and a request well below the public services' own.
     */
    @Test
    void adminServiceRunsAFixedPairWithoutAnAutoscaler() {
        assertThat(production.find(HorizontalPodAutoscaler.class, Rendered.ADMIN_SERVICE)).isEmpty();
        Deployment admin = production.deployment(Rendered.ADMIN_SERVICE);
        assertThat(admin.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
        assertThat(admin.getSpec().getTemplate().getSpec().getTopologySpreadConstraints()).singleElement().satisfies(c -> {
            assertThat(c.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(admin.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(c.getLabelSelector().getMatchLabels());
        });
        double request = production.container(Rendered.ADMIN_SERVICE).getResources().getRequests().get("cpu").getNumericalAmount().doubleValue();
        double tokenRequest = production.container("token-service").getResources().getRequests().get("cpu").getNumericalAmount().doubleValue();
        assertThat(request).as("admin-service reserves less CPU than the hot path").isLessThan(tokenRequest);
    }

    /** Prometheus Operator scrapes each service's pods on the management port, which no Service routes. */
    @Test
    void aPodMonitorScrapesEachServiceOnItsManagementPort() {
        List<GenericKubernetesResource> monitors = production.all(GenericKubernetesResource.class).stream()
                .filter(o -> o.getKind().equals("PodMonitor")).toList();
        assertThat(monitors).extracting(o -> o.getMetadata().getName()).containsExactlyInAnyOrderElementsOf(Rendered.SERVICES);
        for (GenericKubernetesResource monitor : monitors) {
            String service = monitor.getMetadata().getName();
            assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
            Map<String, String> selector = monitor.get("spec", "selector", "matchLabels");
            assertThat(production.deployment(service).getSpec().getTemplate().getMetadata().getLabels())
                    .containsAllEntriesOf(selector);
            List<Map<String, Object>> endpoints = monitor.get("spec", "podMetricsEndpoints");
            assertThat(endpoints).singleElement().satisfies(e -> {
                assertThat(e).containsEntry("port", "management").containsEntry("path", "/q/metrics");
                assertThat(production.container(service).getPorts()).extracting(ContainerPort::getName).contains("management");
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

    /**
     * Production runs no PostgreSQL and makes no Secret: the connection comes from latchkey-postgres, made by hand
     * in the shape of secrets.template.yaml (or CloudNativePG's app Secret, CloudNativePgComponentTest). Every
     * Secret key the Deployments read is one the template shows.
     */
    @Test
    void everySecretKeyTheDeploymentsReadIsInTheTemplateAndNoneIsRendered() throws Exception {
        assertThat(production.statefulSets()).isEmpty();
        assertThat(production.deployments()).extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(Rendered.SERVICES);
        assertThat(production.all(Secret.class)).isEmpty();
        Map<String, java.util.Set<String>> template = new java.util.HashMap<>();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (var parser = yaml.getFactory().createParser(
                Kustomize.root().resolve("k8s/base/secrets.template.yaml").toFile())) {
            for (JsonNode secret : yaml.readValues(parser, JsonNode.class).readAll()) {
                java.util.Set<String> keys = new java.util.TreeSet<>();
                secret.path("stringData").fieldNames().forEachRemaining(keys::add);
                template.put(secret.path("metadata").path("name").asText(), keys);
            }
        }
        assertThat(template).containsKey("latchkey-postgres");
        for (String service : Rendered.SERVICES) {
            for (var env : production.container(service).getEnv()) {
                if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                    var ref = env.getValueFrom().getSecretKeyRef();
                    assertThat(template).as(service + " " + env.getName()).containsKey(ref.getName());
                    assertThat(template.get(ref.getName())).as(service + " " + env.getName()).contains(ref.getKey());
                }
            }
        }
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
        String realmMap = EveryOverlayTest.mountedFile(production, "authorize-service",
                production.environment(production.container("authorize-service")).get("LATCHKEY_REALM_FILE")).volume()
                .getConfigMap().getName();
        String yaml = production.named(ConfigMap.class, realmMap).getData().get("realm.yaml");
        JsonNode realm = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        assertThat(realm.path("clients")).isNotEmpty();
        realm.path("clients").forEach(c -> assertThat(c.has("secret")).as(c.path("clientId") + " secret").isFalse());
        realm.path("users").forEach(u -> assertThat(u.has("password")).as(u.path("username") + " password").isFalse());
    }
}
