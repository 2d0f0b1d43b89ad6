package io.latchkey.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The images the services' builds make (Jib, through quarkus-container-image-jib) are the ones the
 * manifests run, as the user the manifests expect; and a normal build makes none.
 */
class ImageSettingsTest {

    @Test
    void eachServiceBuildsItsImageWithJibOnlyWhenAskedAsTheUserTheManifestsRunAs() throws Exception {
        Rendered dev = Kustomize.overlay("dev");
        for (String service : Rendered.SERVICES) {
            assertThat(SettingsDriftTest.quarkusExtensions(Kustomize.root().resolve(service).resolve("pom.xml")))
                    .as(service + " builds its image with Jib: no Dockerfile, no daemon").contains("quarkus-container-image-jib");
            assertThat(ServiceSettings.declaredValue(service, "quarkus.container-image.build"))
                    .as("a normal build makes no image").isEqualTo("false");

            String image = ServiceSettings.declaredValue(service, "quarkus.container-image.group") + "/"
                    + ServiceSettings.declaredValue(service, "quarkus.container-image.name");
            assertThat(dev.container(service).getImage()).as("the image the build makes is the one dev runs")
                    .startsWith(image + ":");

            Deployment deployment = dev.deployment(service);
            Long runAs = deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser();
            assertThat(ServiceSettings.declaredValue(service, "quarkus.jib.user"))
                    .as("the image's user is the pod's runAsUser").isEqualTo(Long.toString(runAs));
        }
        assertThat(Files.readString(Kustomize.root().resolve("k8s/overlays/production/kustomization.yaml")))
                .contains("name: latchkey/authorize-service", "name: latchkey/token-service", "name: latchkey/admin-service");
    }
}
