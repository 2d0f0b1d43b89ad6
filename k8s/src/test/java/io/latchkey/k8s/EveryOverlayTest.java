package io.latchkey.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What holds for every overlay, checked on the objects kustomize renders. */
class EveryOverlayTest {

    /** The public paths and the service that owns each (DESIGN.md, and login-ui's static assets). */
    static final Map<String, String> PUBLIC_PATHS = new LinkedHashMap<>();

    static {
        for (String path : List.of("/authorize", "/login", "/consent", "/logout", "/.well-known", "/latchkey")) {
            PUBLIC_PATHS.put(path, "authorize-service");
        }
        for (String path : List.of("/token", "/jwks", "/userinfo", "/revoke", "/introspect")) {
            PUBLIC_PATHS.put(path, "token-service");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyContainerHasRequestsLimitsProbesAndARestrictedSecurityContext(String overlay) {
        Rendered rendered = Kustomize.overlay(overlay);
        assertThat(rendered.deployments()).isNotEmpty();
        for (Deployment deployment : rendered.deployments()) {
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            PodSecurityContext podSecurity = pod.getSecurityContext();
            String where = overlay + "/" + deployment.getMetadata().getName();
            assertThat(podSecurity).as(where + " pod securityContext").isNotNull();
            assertThat(podSecurity.getRunAsNonRoot()).as(where + " runAsNonRoot").isTrue();
            assertThat(podSecurity.getRunAsUser()).as(where + " runAsUser").isNotNull().isNotZero();
            assertThat(podSecurity.getSeccompProfile().getType()).as(where + " seccomp").isEqualTo("RuntimeDefault");
            assertThat(pod.getAutomountServiceAccountToken()).as(where + " service account token").isFalse();
            assertThat(pod.getInitContainers()).as(where + " init containers").isEmpty();
            for (Container c : pod.getContainers()) {
                String at = where + "/" + c.getName();
                for (String resource : List.of("cpu", "memory")) {
                    Quantity request = c.getResources().getRequests().get(resource);
                    Quantity limit = c.getResources().getLimits().get(resource);
                    assertThat(request).as(at + " requests." + resource).isNotNull();
                    assertThat(limit).as(at + " limits." + resource).isNotNull();
                    assertThat(limit.getNumericalAmount()).as(at + " limit >= request, " + resource)
                            .isGreaterThanOrEqualTo(request.getNumericalAmount());
                }
                assertThat(c.getLivenessProbe()).as(at + " livenessProbe").isNotNull();
                assertThat(c.getReadinessProbe()).as(at + " readinessProbe").isNotNull();
                SecurityContext sc = c.getSecurityContext();
                assertThat(sc).as(at + " securityContext").isNotNull();
                assertThat(sc.getRunAsNonRoot()).as(at + " runAsNonRoot").isTrue();
                assertThat(sc.getRunAsUser()).as(at + " runAsUser").satisfiesAnyOf(
                        u -> assertThat(u).isNull(), u -> assertThat(u).isNotZero());
                assertThat(sc.getAllowPrivilegeEscalation()).as(at + " allowPrivilegeEscalation").isFalse();
                assertThat(sc.getReadOnlyRootFilesystem()).as(at + " readOnlyRootFilesystem").isTrue();
                assertThat(sc.getPrivileged()).as(at + " privileged").isNotEqualTo(Boolean.TRUE);
                assertThat(sc.getCapabilities().getDrop()).as(at + " capabilities.drop").contains("ALL");
                assertThat(sc.getCapabilities().getAdd()).as(at + " capabilities.add").isEmpty();
                assertThat(sc.getSeccompProfile().getType()).as(at + " seccomp").isEqualTo("RuntimeDefault");
                // A read-only root still needs a writable /tmp (Vert.x caches files there).
                VolumeMount tmp = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst()
                        .orElseThrow(() -> new AssertionError(at + " mounts nothing at /tmp"));
                assertThat(volume(pod, tmp.getName()).getEmptyDir()).as(at + " /tmp is an emptyDir").isNotNull();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void servicesProbeSmallRyeHealthOnTheHttpPortTheyListenOn(String overlay) {
        Rendered rendered = Kustomize.overlay(overlay);
        for (String service : Rendered.SERVICES) {
            Container c = rendered.container(service);
            ContainerPort http = c.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst()
                    .orElseThrow(() -> new AssertionError(service + " has no port named http"));
            String port = Optional.ofNullable(rendered.environment(c).get("QUARKUS_HTTP_PORT"))
                    .orElse(ServiceSettings.declaredValue(service, "quarkus.http.port"));
            assertThat(http.getContainerPort()).as(service + " listens on quarkus.http.port").isEqualTo(Integer.valueOf(port));
            assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
            assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
            assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
            for (var probe : List.of(c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe())) {
                assertThat(probe.getHttpGet().getPort().getStrVal()).as(service + " probes the http port").isEqualTo("http");
            }
            // Readiness drops a replica that lost Redis sooner than liveness would restart it.
            assertThat(c.getReadinessProbe().getPeriodSeconds() * c.getReadinessProbe().getFailureThreshold())
                    .isLessThan(c.getLivenessProbe().getPeriodSeconds() * c.getLivenessProbe().getFailureThreshold());
            Map<String, String> annotations = rendered.deployment(service).getSpec().getTemplate().getMetadata().getAnnotations();
            assertThat(annotations).containsEntry("prometheus.io/path", "/q/metrics")
                    .containsEntry("prometheus.io/port", Integer.toString(http.getContainerPort()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void shutdownWaitsForTheLoadBalancersAndThenForInFlightRequests(String overlay) {
        Rendered rendered = Kustomize.overlay(overlay);
        for (String service : Rendered.SERVICES) {
            Container c = rendered.container(service);
            var preStop = c.getLifecycle().getPreStop();
            assertThat(preStop.getSleep()).as(service + " preStop sleep").isNotNull();
            long sleep = preStop.getSleep().getSeconds();
            assertThat(sleep).isBetween(5L, 30L);
            String timeout = rendered.environment(c).get("QUARKUS_SHUTDOWN_TIMEOUT");
            assertThat(timeout).as(service + " sets quarkus.shutdown.timeout").isNotNull();
            long drain = Duration.parse("PT" + timeout.toUpperCase()).toSeconds();
            assertThat(rendered.deployment(service).getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                    .as(service + " terminationGracePeriodSeconds covers preStop + shutdown timeout")
                    .isGreaterThanOrEqualTo(sleep + drain + 5);
            assertThat(rendered.deployment(service).getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
                    .as(service + " rolls without dropping below its replica count").isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void ingressRoutesEveryPublicPathOfTheIssuerHostToItsServiceAndNothingElse(String overlay) {
        Rendered rendered = Kustomize.overlay(overlay);
        List<IngressRule> rules = rendered.ingress().getSpec().getRules();
        assertThat(rules).as("one host").hasSize(1);
        IngressRule rule = rules.get(0);
        Map<String, String> env = rendered.environment(rendered.container("authorize-service"));
        assertThat(URI.create(env.get("LATCHKEY_ISSUER")).getHost()).as("the issuer is the Ingress host").isEqualTo(rule.getHost());
        assertThat(URI.create(env.get("LATCHKEY_TOKEN_SERVICE_URL")).getHost()).isEqualTo(rule.getHost());
        assertThat(rendered.environment(rendered.container("token-service")).get("LATCHKEY_ISSUER"))
                .as("both services know the same issuer").isEqualTo(env.get("LATCHKEY_ISSUER"));

        Map<String, String> routed = new LinkedHashMap<>();
        for (HTTPIngressPath path : rule.getHttp().getPaths()) {
            assertThat(path.getPathType()).isEqualTo("Prefix");
            routed.put(path.getPath(), path.getBackend().getService().getName());
            Service service = rendered.service(path.getBackend().getService().getName());
            ServicePort port = service.getSpec().getPorts().stream()
                    .filter(p -> p.getName().equals(path.getBackend().getService().getPort().getName())).findFirst()
                    .orElseThrow(() -> new AssertionError(path.getPath() + " routes to a port its Service lacks"));
            // The Service's named target port is a port of the pods it selects.
            Deployment target = rendered.deployment(service.getMetadata().getName());
            assertThat(target.getSpec().getTemplate().getMetadata().getLabels())
                    .containsAllEntriesOf(service.getSpec().getSelector());
            assertThat(target.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts())
                    .extracting(ContainerPort::getName).contains(port.getTargetPort().getStrVal());
        }
        assertThat(routed).as("paths routed by the Ingress").isEqualTo(PUBLIC_PATHS);
        assertThat(routed.keySet()).noneMatch(p -> p.startsWith("/q"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void onlyTheTwoServicesMayReachRedis(String overlay) {
        Rendered rendered = Kustomize.overlay(overlay);
        NetworkPolicy policy = rendered.named(NetworkPolicy.class, "redis-clients-only");
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
        Map<String, String> redisPods = policy.getSpec().getPodSelector().getMatchLabels();
        assertThat(redisPods).isNotEmpty();
        var from = policy.getSpec().getIngress().get(0).getFrom();
        Map<String, String> clients = from.get(0).getPodSelector().getMatchLabels();
        assertThat(from).allSatisfy(peer -> {
            assertThat(peer.getNamespaceSelector()).as("no other namespace").isNull();
            assertThat(peer.getIpBlock()).as("no address range").isNull();
        });
        for (Deployment deployment : rendered.deployments()) {
            Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            boolean client = labels.entrySet().containsAll(clients.entrySet());
            boolean redis = labels.entrySet().containsAll(redisPods.entrySet());
            assertThat(client).as(deployment.getMetadata().getName() + " may reach Redis")
                    .isEqualTo(Rendered.SERVICES.contains(deployment.getMetadata().getName()));
            if (deployment.getMetadata().getName().equals("redis")) {
                assertThat(redis).as("the policy covers the Redis pods").isTrue();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theRealmFileSettingNamesAFileMountedFromTheRealmConfigMap(String overlay) {
        Rendered rendered = Kustomize.overlay(overlay);
        for (String service : Rendered.SERVICES) {
            String file = rendered.environment(rendered.container(service)).get("LATCHKEY_REALM_FILE");
            assertThat(file).as(service + " LATCHKEY_REALM_FILE").isNotNull();
            Mounted mounted = mountedFile(rendered, service, file);
            assertThat(mounted.volume().getConfigMap()).as(file + " comes from a ConfigMap").isNotNull();
            ConfigMap realm = rendered.named(ConfigMap.class, mounted.volume().getConfigMap().getName());
            assertThat(realm.getData()).containsKey(mounted.key());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyObjectLivesInTheLatchkeyNamespace(String overlay) {
        Rendered rendered = Kustomize.overlay(overlay);
        for (HasMetadata o : rendered.objects()) {
            if (o instanceof Namespace ns) {
                assertThat(ns.getMetadata().getName()).isEqualTo("latchkey");
                assertThat(ns.getMetadata().getLabels()).containsEntry("pod-security.kubernetes.io/enforce", "restricted");
            } else {
                assertThat(o.getMetadata().getNamespace()).as(o.getKind() + " " + o.getMetadata().getName()).isEqualTo("latchkey");
            }
        }
    }

    record Mounted(Volume volume, String key) {
    }

    /** The volume and the key in it that a container sees at {@code file}. */
    static Mounted mountedFile(Rendered rendered, String deployment, String file) {
        PodSpec pod = rendered.deployment(deployment).getSpec().getTemplate().getSpec();
        for (VolumeMount mount : rendered.container(deployment).getVolumeMounts()) {
            String dir = mount.getMountPath().endsWith("/") ? mount.getMountPath() : mount.getMountPath() + "/";
            if (file.startsWith(dir)) {
                assertThat(mount.getReadOnly()).as(mount.getMountPath() + " is mounted read-only").isTrue();
                String name = file.substring(dir.length());
                Volume volume = volume(pod, mount.getName());
                var items = volume.getConfigMap() != null ? volume.getConfigMap().getItems() : volume.getSecret().getItems();
                String key = items.isEmpty() ? name : items.stream().filter(i -> i.getPath().equals(name)).findFirst()
                        .orElseThrow(() -> new AssertionError(file + " is not among the items of volume " + volume.getName()))
                        .getKey();
                return new Mounted(volume, key);
            }
        }
        throw new AssertionError(deployment + " mounts nothing at " + file);
    }

    static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }
}
