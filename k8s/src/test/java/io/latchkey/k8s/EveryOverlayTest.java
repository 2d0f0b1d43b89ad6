package io.latchkey.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
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

    /** The public paths and the service that owns each (docs/architecture.md, and login-ui's static assets). */
    static final Map<String, String> PUBLIC_PATHS = new LinkedHashMap<>();

    static {
        for (String path : List.of("/authorize", "/par", "/login", "/consent", "/logout", "/.well-known", "/latchkey")) {
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
        for (Map.Entry<String, PodTemplateSpec> workload : rendered.podTemplates().entrySet()) {
            PodSpec pod = workload.getValue().getSpec();
            PodSecurityContext podSecurity = pod.getSecurityContext();
            String where = overlay + "/" + workload.getKey();
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
    void servicesProbeAndExposeMetricsOnTheManagementPortWhichNoServiceRoutes(String overlay) {
        Rendered rendered = Kustomize.overlay(overlay);
        for (String service : Rendered.SERVICES) {
            Container c = rendered.container(service);
            ContainerPort http = port(c, "http");
            String port = Optional.ofNullable(rendered.environment(c).get("QUARKUS_HTTP_PORT"))
                    .orElse(ServiceSettings.declaredValue(service, "quarkus.http.port"));
            assertThat(http.getContainerPort()).as(service + " listens on quarkus.http.port").isEqualTo(Integer.valueOf(port));
            ContainerPort management = port(c, "management");
            assertThat(management.getContainerPort()).as(service + " management port").isEqualTo(9000);
            assertThat(rendered.environment(c)).as(service + " listens for management on the port it declares")
                    .containsEntry("QUARKUS_MANAGEMENT_PORT", "9000");
            assertThat(ServiceSettings.declaredValue(service, "quarkus.management.enabled")).isEqualTo("true");
            assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
            assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
            assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
            for (var probe : List.of(c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe())) {
                assertThat(probe.getHttpGet().getPort().getStrVal()).as(service + " probes the management port")
                        .isEqualTo("management");
            }
            // Readiness is the pod's own: every replica shares one Redis and one PostgreSQL, whose blip must not
            // take them all out of the Service at once (docs/kubernetes.md, "Health, shutdown and security").
            assertThat(ServiceSettings.declaredValue(service, "quarkus.redis.health.enabled")).isEqualTo("false");
            assertThat(ServiceSettings.declaredValue(service, "quarkus.datasource.health.enabled")).isEqualTo("false");
            // A stopping replica (readiness down) leaves the endpoints sooner than liveness would restart a stuck one.
            assertThat(c.getReadinessProbe().getPeriodSeconds() * c.getReadinessProbe().getFailureThreshold())
                    .isLessThan(c.getLivenessProbe().getPeriodSeconds() * c.getLivenessProbe().getFailureThreshold());
            Map<String, String> annotations = rendered.deployment(service).getSpec().getTemplate().getMetadata().getAnnotations();
            assertThat(annotations).containsEntry("prometheus.io/path", "/q/metrics")
                    .containsEntry("prometheus.io/port", Integer.toString(management.getContainerPort()));
            // The Service (and so the Ingress) reaches the traffic port only.
            assertThat(rendered.service(service).getSpec().getPorts()).extracting(p -> p.getTargetPort().getStrVal())
                    .containsExactly("http");
        }
    }

    /**
     * The JVM's memory fits the container's limit: the heap (-Xmx, from k8s/base/jvm.env like every other way
     * of running the services) plus what is bounded outside it (metaspace, JIT code, direct buffers) plus an
     * allowance for thread stacks, GC and native memory (measured: about 70 MiB outside those bounds under the
     * bench's full load: the JVM's own code and class-data archive, malloc, stacks; bench/README.md), and the
     * heap itself holds the measured working set plus Argon2id's 19 MiB for each password thread (one per CPU
     * of the limit), which keeps its memory between hashes.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theHeapAndTheBoundedNativeMemoryFitTheMemoryLimit(String overlay) {
        Rendered rendered = Kustomize.overlay(overlay);
        long mib = 1024 * 1024;
        for (String service : Rendered.SERVICES) {
            Container c = rendered.container(service);
            String options = rendered.environment(c).get("JAVA_TOOL_OPTIONS");
            assertThat(options).as(service + " JAVA_TOOL_OPTIONS").isNotNull()
                    .doesNotContain("MaxRAMPercentage").contains("-XX:+ExitOnOutOfMemoryError");
            long limit = c.getResources().getLimits().get("memory").getNumericalAmount().longValue();
            double cpus = c.getResources().getLimits().get("cpu").getNumericalAmount().doubleValue();
            long heap = jvmSize(options, "-Xmx");
            long bounded = jvmSize(options, "-XX:MaxMetaspaceSize=") + jvmSize(options, "-XX:ReservedCodeCacheSize=")
                    + jvmSize(options, "-XX:MaxDirectMemorySize=");
            long threadsGcAndNative = 96 * mib;
            assertThat(heap + bounded + threadsGcAndNative).as(service + ": heap " + heap / mib + " MiB + bounded "
                    + bounded / mib + " MiB + 96 MiB within the limit of " + limit / mib + " MiB").isLessThanOrEqualTo(limit);
            assertThat(heap).as(service + " heap holds the measured working set and 19 MiB per password thread")
                    .isGreaterThanOrEqualTo(WORKING_SET_MIB * mib + (long) Math.ceil(cpus) * 19 * mib);
            assertThat(c.getResources().getRequests().get("memory")).as(service + " memory request = limit: never evicted for it")
                    .isEqualTo(c.getResources().getLimits().get("memory"));
        }
    }

    /**
     * The young generation (-Xmn20m) and what authorize-service kept in the old one after full collections under
     * the bench's full load (at most 26 MiB besides the password threads' memory), rounded up.
     */
    private static final long WORKING_SET_MIB = 48;

    /**
     * Issue 10: behind the Ingress every request comes from the controller. The overlays take the client's
     * address from X-Forwarded-For, and only from the proxies they trust: never forwarded headers without a
     * trusted-proxy list, never a list that trusts everyone.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void forwardedClientAddressesAreTakenOnlyFromTrustedProxies(String overlay) {
        Rendered rendered = Kustomize.overlay(overlay);
        for (String service : Rendered.SERVICES) {
            Map<String, String> env = rendered.environment(rendered.container(service));
            assertThat(env).as(overlay + "/" + service)
                    .containsEntry("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING", "true")
                    .containsEntry("QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED", "true")
                    .containsEntry("QUARKUS_HTTP_PROXY_ALLOW_FORWARDED", "false")
                    .doesNotContainKey("QUARKUS_HTTP_PROXY_ENABLE_FORWARDED_HOST");
            List<String> trusted = List.of(env.getOrDefault("QUARKUS_HTTP_PROXY_TRUSTED_PROXIES", "").split(","));
            assertThat(trusted).as(overlay + "/" + service + " trusted proxies").isNotEmpty().allSatisfy(cidr -> {
                assertThat(cidr).matches("\\d{1,3}(\\.\\d{1,3}){3}/(\\d|[12]\\d|3[0-2])");
                int bits = Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
                assertThat(bits).as(cidr + " is a network, not the whole Internet").isGreaterThanOrEqualTo(8);
            });
        }
        // The setting must be read by the services (SettingsDriftTest) and be off unless an overlay turns it on.
        for (String service : Rendered.SERVICES) {
            assertThat(Optional.ofNullable(ServiceSettings.declaredValue(service, "quarkus.http.proxy.proxy-address-forwarding"))
                    .orElse("false")).as(service + " default").isEqualTo("false");
        }
    }

    private static ContainerPort port(Container c, String name) {
        return c.getPorts().stream().filter(p -> name.equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " has no port named " + name));
    }

    private static String jvmOption(String options, String prefix) {
        return List.of(options.split("\\s+")).stream().filter(o -> o.startsWith(prefix)).map(o -> o.substring(prefix.length()))
                .findFirst().orElseThrow(() -> new AssertionError("JAVA_TOOL_OPTIONS lacks " + prefix + ": " + options));
    }

    /** A JVM size option (m or g suffix) in bytes. */
    private static long jvmSize(String options, String prefix) {
        String value = jvmOption(options, prefix).toLowerCase(java.util.Locale.ROOT);
        long unit = value.endsWith("g") ? 1L << 30 : value.endsWith("m") ? 1L << 20 : value.endsWith("k") ? 1L << 10 : 1;
        return Long.parseLong(unit == 1 ? value : value.substring(0, value.length() - 1)) * unit;
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
        // admin-service is internal: none of its areas is routed, whichever service a path would name.
        assertThat(routed.values()).doesNotContain(Rendered.ADMIN_SERVICE);
        assertThat(routed.keySet()).noneMatch(p -> p.startsWith("/scim") || p.startsWith("/register") || p.startsWith("/admin"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void onlyTheServicesMayReachRedis(String overlay) {
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
        for (Map.Entry<String, PodTemplateSpec> workload : rendered.podTemplates().entrySet()) {
            Map<String, String> labels = workload.getValue().getMetadata().getLabels();
            boolean client = labels.entrySet().containsAll(clients.entrySet());
            boolean redis = labels.entrySet().containsAll(redisPods.entrySet());
            assertThat(client).as(workload.getKey() + " may reach Redis").isEqualTo(Rendered.SERVICES.contains(workload.getKey()));
            if (workload.getKey().equals("redis")) {
                assertThat(redis).as("the policy covers the Redis pods").isTrue();
            }
        }
    }

    /** The same for PostgreSQL: the services, nobody else, on 5432; in dev the policy covers the StatefulSet's pods. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void onlyTheServicesMayReachPostgres(String overlay) {
        Rendered rendered = Kustomize.overlay(overlay);
        NetworkPolicy policy = rendered.named(NetworkPolicy.class, "postgres-clients-only");
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
        Map<String, String> postgresPods = policy.getSpec().getPodSelector().getMatchLabels();
        assertThat(postgresPods).isNotEmpty();
        assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getPorts()).singleElement().satisfies(port -> {
                assertThat(port.getProtocol()).isEqualTo("TCP");
                assertThat(port.getPort().getIntVal()).isEqualTo(5432);
            });
            assertThat(rule.getFrom()).singleElement().satisfies(peer -> {
                assertThat(peer.getNamespaceSelector()).as("no other namespace").isNull();
                assertThat(peer.getIpBlock()).as("no address range").isNull();
                assertThat(peer.getPodSelector().getMatchLabels()).containsExactly(Map.entry("latchkey.io/postgres-client", "true"));
            });
        });
        for (Map.Entry<String, PodTemplateSpec> workload : rendered.podTemplates().entrySet()) {
            Map<String, String> labels = workload.getValue().getMetadata().getLabels();
            assertThat(labels.get("latchkey.io/postgres-client")).as(workload.getKey() + " may reach PostgreSQL")
                    .isEqualTo(Rendered.SERVICES.contains(workload.getKey()) ? "true" : null);
            if (workload.getKey().equals("postgres")) {
                assertThat(labels).as("the policy covers the PostgreSQL pods").containsAllEntriesOf(postgresPods);
            }
        }
    }

    /**
     * Both services read the directory's connection from one Secret, never from the ConfigMap: the URL may carry
     * the password. The URL is required (no directory, no start); the user and password may be in it instead.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyServiceReadsTheDirectoryConnectionFromOneSecret(String overlay) {
        Rendered rendered = Kustomize.overlay(overlay);
        Map<String, String> keys = Map.of("QUARKUS_DATASOURCE_REACTIVE_URL", "uri", "QUARKUS_DATASOURCE_USERNAME", "username",
                "QUARKUS_DATASOURCE_PASSWORD", "password");
        for (String service : Rendered.SERVICES) {
            Container c = rendered.container(service);
            Map<String, SecretKeySelector> refs = new LinkedHashMap<>();
            for (EnvVar var : c.getEnv()) {
                if (var.getName().startsWith("QUARKUS_DATASOURCE_")) {
                    assertThat(var.getValueFrom()).as(service + " " + var.getName() + " comes from a Secret").isNotNull();
                    refs.put(var.getName(), var.getValueFrom().getSecretKeyRef());
                }
            }
            assertThat(refs.keySet()).as(service).containsExactlyInAnyOrderElementsOf(keys.keySet());
            refs.forEach((name, ref) -> {
                assertThat(ref.getName()).as(service + " " + name).startsWith("latchkey-postgres");
                assertThat(ref.getKey()).as(service + " " + name).isEqualTo(keys.get(name));
            });
            assertThat(refs.values()).extracting(SecretKeySelector::getName).as("one Secret").containsOnly(
                    refs.get("QUARKUS_DATASOURCE_REACTIVE_URL").getName());
            assertThat(refs.get("QUARKUS_DATASOURCE_REACTIVE_URL").getOptional()).as("no URL, no start").isNotEqualTo(Boolean.TRUE);
            // The ConfigMap (readable by anyone who may read ConfigMaps) names no datasource setting.
            for (var from : c.getEnvFrom()) {
                assertThat(rendered.named(ConfigMap.class, from.getConfigMapRef().getName()).getData().keySet())
                        .noneMatch(k -> k.startsWith("QUARKUS_DATASOURCE_"));
            }
            // A Secret the overlay itself makes (dev) has every key the services read.
            rendered.find(Secret.class, refs.get("QUARKUS_DATASOURCE_REACTIVE_URL").getName()).ifPresent(secret -> {
                Map<String, String> data = secret.getStringData() != null && !secret.getStringData().isEmpty()
                        ? secret.getStringData() : secret.getData();
                assertThat(data).containsKeys("uri", "username", "password");
            });
        }
    }

    /**
     * authorize-service alone imports the realm: it mounts it and keeps latchkey.directory.bootstrap on (the
     * default). admin-service migrates the schema too (under Flyway's lock) but mounts no realm, so the realm is
     * imported once. token-service neither mounts a realm nor is told to bootstrap, so it never waits for
     * PostgreSQL at start-up.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void onlyAuthorizeServiceImportsTheRealm(String overlay) {
        Rendered rendered = Kustomize.overlay(overlay);
        assertThat(ServiceSettings.latchkeyDefault("latchkey.directory.bootstrap")).isEqualTo("true");
        assertThat(ServiceSettings.declaredValue("authorize-service", "latchkey.directory.bootstrap")).isIn(null, "true");
        assertThat(rendered.environment(rendered.container("authorize-service")).getOrDefault("LATCHKEY_DIRECTORY_BOOTSTRAP", "true"))
                .isEqualTo("true");
        assertThat(ServiceSettings.declaredValue("token-service", "latchkey.directory.bootstrap")).isEqualTo("false");
        Map<String, String> tokenService = rendered.environment(rendered.container("token-service"));
        assertThat(tokenService.getOrDefault("LATCHKEY_DIRECTORY_BOOTSTRAP", "false")).isEqualTo("false");
        assertThat(tokenService).doesNotContainKey("LATCHKEY_REALM_FILE");
        PodSpec pod = rendered.deployment("token-service").getSpec().getTemplate().getSpec();
        assertThat(pod.getVolumes()).as("token-service mounts no realm")
                .noneMatch(v -> v.getConfigMap() != null && v.getConfigMap().getName().startsWith("latchkey-realm"));
        assertThat(rendered.environment(rendered.container(Rendered.ADMIN_SERVICE))).doesNotContainKey("LATCHKEY_REALM_FILE");
        assertThat(rendered.deployment(Rendered.ADMIN_SERVICE).getSpec().getTemplate().getSpec().getVolumes())
                .as("admin-service mounts no realm")
                .noneMatch(v -> v.getConfigMap() != null && v.getConfigMap().getName().startsWith("latchkey-realm"));
    }

    /**
     * admin-service is internal: a ClusterIP Service, no Ingress path (above), and a NetworkPolicy that lets
     * only pods of this namespace or of a namespace labelled latchkey.io/ops reach its traffic port; nothing but
     * the management port (health and metrics) is open to others, and no address range is admitted.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void adminServiceIsReachableOnlyFromThisNamespaceAndTheOpsNamespaces(String overlay) {
        Rendered rendered = Kustomize.overlay(overlay);
        Service service = rendered.service(Rendered.ADMIN_SERVICE);
        assertThat(Optional.ofNullable(service.getSpec().getType()).orElse("ClusterIP")).isEqualTo("ClusterIP");
        assertThat(rendered.all(io.fabric8.kubernetes.api.model.networking.v1.Ingress.class))
                .flatExtracting(i -> i.getSpec().getRules()).flatExtracting(r -> r.getHttp().getPaths())
                .noneMatch(p -> p.getBackend().getService().getName().equals(Rendered.ADMIN_SERVICE));

        Map<String, String> podLabels = rendered.deployment(Rendered.ADMIN_SERVICE).getSpec().getTemplate().getMetadata().getLabels();
        List<NetworkPolicy> covering = rendered.all(NetworkPolicy.class).stream()
                .filter(p -> podLabels.entrySet().containsAll(p.getSpec().getPodSelector().getMatchLabels().entrySet()))
                .filter(p -> !p.getSpec().getPodSelector().getMatchLabels().isEmpty()).toList();
        assertThat(covering).as("one NetworkPolicy selects the admin-service pods").singleElement().satisfies(policy -> {
            assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
            int http = port(rendered.container(Rendered.ADMIN_SERVICE), "http").getContainerPort();
            int management = port(rendered.container(Rendered.ADMIN_SERVICE), "management").getContainerPort();
            for (var rule : policy.getSpec().getIngress()) {
                List<Integer> ports = rule.getPorts().stream().map(p -> p.getPort().getIntVal()).toList();
                assertThat(ports).as("every rule names its ports").isNotEmpty();
                if (ports.contains(http)) {
                    assertThat(rule.getFrom()).as("callers of the admin API").isNotEmpty().allSatisfy(peer -> {
                        assertThat(peer.getIpBlock()).as("no address range").isNull();
                        if (peer.getNamespaceSelector() != null) {
                            assertThat(peer.getNamespaceSelector().getMatchLabels()).as("only labelled ops namespaces")
                                    .containsExactly(Map.entry("latchkey.io/ops", "true"));
                            assertThat(peer.getNamespaceSelector().getMatchExpressions()).isNullOrEmpty();
                        }
                    });
                } else {
                    assertThat(ports).as("anyone else reaches health and metrics only").containsExactly(management);
                }
            }
            assertThat(policy.getSpec().getIngress()).as("the admin API has a rule").anySatisfy(rule ->
                    assertThat(rule.getPorts()).extracting(p -> p.getPort().getIntVal()).contains(http));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theRealmFileSettingNamesAFileMountedFromTheRealmConfigMap(String overlay) {
        Rendered rendered = Kustomize.overlay(overlay);
        String file = rendered.environment(rendered.container("authorize-service")).get("LATCHKEY_REALM_FILE");
        assertThat(file).as("authorize-service LATCHKEY_REALM_FILE").isNotNull();
        Mounted mounted = mountedFile(rendered, "authorize-service", file);
        assertThat(mounted.volume().getConfigMap()).as(file + " comes from a ConfigMap").isNotNull();
        ConfigMap realm = rendered.named(ConfigMap.class, mounted.volume().getConfigMap().getName());
        assertThat(realm.getData()).containsKey(mounted.key());
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
