package io.latchkey.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * k8s/components/cloudnative-pg on top of the production overlay, as docs/kubernetes.md ("PostgreSQL") tells
 * an operator to add it: the services read the Secret CloudNativePG writes for the Cluster's owner, with the
 * same keys as latchkey-postgres, and the Cluster's pods admit the services, each other and the operator.
 */
class CloudNativePgComponentTest {

    @Test
    void theServicesReadTheClustersAppSecretAndOnlyTheyAndTheOperatorReachItsPods(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                namespace: latchkey
                resources:
                  - %s
                components:
                  - %s
                """.formatted(dir.relativize(Kustomize.root().resolve("k8s/overlays/production")),
                dir.relativize(Kustomize.root().resolve("k8s/components/cloudnative-pg"))));
        Rendered rendered = Kustomize.render(dir);

        GenericKubernetesResource cluster = rendered.all(GenericKubernetesResource.class).stream()
                .filter(o -> o.getKind().equals("Cluster")).findFirst().orElseThrow(() -> new AssertionError("no Cluster"));
        assertThat(cluster.getApiVersion()).isEqualTo("postgresql.cnpg.io/v1");
        assertThat(cluster.getMetadata().getNamespace()).as("its app Secret must be in the services' namespace").isEqualTo("latchkey");
        int instances = cluster.get("spec", "instances");
        assertThat(instances).as("a primary and replicas to fail over to").isGreaterThanOrEqualTo(2);
        Map<String, Object> initdb = cluster.get("spec", "bootstrap", "initdb");
        assertThat(initdb).containsEntry("database", "latchkey").containsKey("owner");
        // CloudNativePG writes the owner's credentials to <cluster>-app: uri, username, password (and host, port, ...).
        String appSecret = cluster.getMetadata().getName() + "-app";
        for (String service : Rendered.SERVICES) {
            assertThat(rendered.environment(rendered.container(service))).as(service)
                    .containsEntry("QUARKUS_DATASOURCE_REACTIVE_URL", "<secret " + appSecret + "/uri>")
                    .containsEntry("QUARKUS_DATASOURCE_USERNAME", "<secret " + appSecret + "/username>")
                    .containsEntry("QUARKUS_DATASOURCE_PASSWORD", "<secret " + appSecret + "/password>");
            assertThat(rendered.container(service).getEnv()).as(service + " reads each variable once")
                    .extracting(v -> v.getName()).doesNotHaveDuplicates();
        }

        NetworkPolicy policy = rendered.all(NetworkPolicy.class).stream()
                .filter(p -> cluster.getMetadata().getName().equals(p.getSpec().getPodSelector().getMatchLabels().get("cnpg.io/cluster")))
                .findFirst().orElseThrow(() -> new AssertionError("no NetworkPolicy selects the Cluster's pods"));
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
        List<NetworkPolicyIngressRule> rules = policy.getSpec().getIngress();
        // The services, on 5432 only.
        assertThat(rules).filteredOn(r -> r.getFrom().stream().anyMatch(peer -> peer.getPodSelector() != null
                && "true".equals(peer.getPodSelector().getMatchLabels().get("latchkey.io/postgres-client"))))
                .singleElement().satisfies(r -> {
                    assertThat(r.getFrom()).singleElement().satisfies(peer -> assertThat(peer.getNamespaceSelector()).isNull());
                    assertThat(r.getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(5432);
                });
        // Every other peer is the Cluster's own pods or the operator's, never an address range or any pod at all.
        assertThat(rules).flatExtracting(NetworkPolicyIngressRule::getFrom).allSatisfy(peer -> {
            assertThat(peer.getIpBlock()).isNull();
            assertThat(peer.getPodSelector()).isNotNull();
            assertThat(peer.getPodSelector().getMatchLabels()).isNotEmpty();
        });
        for (String service : Rendered.SERVICES) {
            assertThat(rendered.deployment(service).getSpec().getTemplate().getMetadata().getLabels())
                    .containsEntry("latchkey.io/postgres-client", "true");
        }
    }
}
