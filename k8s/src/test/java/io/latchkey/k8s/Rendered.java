package io.latchkey.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One overlay as kustomize rendered it: the raw YAML and the parsed objects. */
record Rendered(Path dir, String yaml, List<HasMetadata> objects) {

    /** Every Latchkey service: each is hardened, probed, sized and connected alike. */
    static final List<String> SERVICES = List.of("authorize-service", "token-service", "admin-service");

    /** The services the Ingress routes and the autoscalers scale; admin-service is internal and fixed in size. */
    static final List<String> PUBLIC_SERVICES = List.of("authorize-service", "token-service");

    static final String ADMIN_SERVICE = "admin-service";

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError(dir + " renders no " + type.getSimpleName() + " " + name));
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
    }

    List<Deployment> deployments() {
        return all(Deployment.class);
    }

    Deployment deployment(String name) {
        return named(Deployment.class, name);
    }

    List<StatefulSet> statefulSets() {
        return all(StatefulSet.class);
    }

    StatefulSet statefulSet(String name) {
        return named(StatefulSet.class, name);
    }

    /** The pod template of every workload (Deployments and StatefulSets), by the workload's name. */
    Map<String, PodTemplateSpec> podTemplates() {
        Map<String, PodTemplateSpec> templates = new LinkedHashMap<>();
        deployments().forEach(d -> templates.put(d.getMetadata().getName(), d.getSpec().getTemplate()));
        statefulSets().forEach(s -> templates.put(s.getMetadata().getName(), s.getSpec().getTemplate()));
        return templates;
    }

    Service service(String name) {
        return named(Service.class, name);
    }

    Ingress ingress() {
        List<Ingress> ingresses = all(Ingress.class);
        if (ingresses.size() != 1) {
            throw new AssertionError(dir + " renders " + ingresses.size() + " Ingresses, expected exactly one");
        }
        return ingresses.get(0);
    }

    List<HorizontalPodAutoscaler> autoscalers() {
        return all(HorizontalPodAutoscaler.class);
    }

    List<PodDisruptionBudget> disruptionBudgets() {
        return all(PodDisruptionBudget.class);
    }

    List<NetworkPolicy> networkPolicies() {
        return all(NetworkPolicy.class);
    }

    /** The one container of a Latchkey service's Deployment. */
    Container container(String deployment) {
        List<Container> containers = deployment(deployment).getSpec().getTemplate().getSpec().getContainers();
        if (containers.size() != 1) {
            throw new AssertionError(deployment + " has " + containers.size() + " containers, expected one");
        }
        return containers.get(0);
    }

    /**
     * Every environment variable a container gets, as the kubelet would set it: first the ConfigMaps of
     * envFrom, then env (which wins). A value from a Secret shows as {@code <secret name/key>}.
     */
    Map<String, String> environment(Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : container.getEnvFrom()) {
            if (from.getConfigMapRef() == null || from.getPrefix() != null) {
                throw new AssertionError(container.getName() + ": only envFrom a ConfigMap, without prefix, is checked");
            }
            env.putAll(named(ConfigMap.class, from.getConfigMapRef().getName()).getData());
        }
        for (EnvVar var : container.getEnv()) {
            if (var.getValueFrom() == null) {
                env.put(var.getName(), var.getValue());
            } else if (var.getValueFrom().getSecretKeyRef() != null) {
                var ref = var.getValueFrom().getSecretKeyRef();
                env.put(var.getName(), "<secret " + ref.getName() + "/" + ref.getKey() + ">");
            } else {
                throw new AssertionError(container.getName() + ": env " + var.getName() + " comes from neither a value nor a Secret");
            }
        }
        return env;
    }
}
