package io.latchkey.admin.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.scim2.client.ScimService;
import com.unboundid.scim2.common.exceptions.PreconditionFailedException;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;
import com.unboundid.scim2.common.types.Email;
import com.unboundid.scim2.common.types.Name;
import com.unboundid.scim2.common.types.UserResource;
import io.latchkey.admin.TestTokens;
import io.latchkey.model.directory.UserDirectory;
import io.latchkey.model.keys.PublishedKeys;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Users provisioned by the UnboundID SCIM 2 SDK, checked in the directory the token services read. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ScimUsersClientTest {

    @Inject
    PublishedKeys keys;

    @Inject
    UserDirectory directory;

    @TestHTTPResource("/scim/v2")
    URI scimRoot;

    ScimService scim;

    @BeforeEach
    void client() {
        TestTokens.publish(keys);
        scim = ScimClients.service(scimRoot, "scim");
    }

    static UserResource user(String userName) {
        UserResource user = new UserResource().setUserName(userName);
        user.setName(new Name().setGivenName("Ada").setFamilyName("Lovelace").setFormatted("Ada Lovelace"));
        user.setEmails(List.of(new Email().setValue("other@example.com").setType("home"),
                new Email().setValue(userName + "@example.com").setType("work").setPrimary(true)));
        user.setExternalId("ext-" + userName);
        user.setPassword("correct horse battery staple");
        return user;
    }

    @Test
    void createReadReplaceDelete() throws Exception {
        String name = "ada-" + UUID.randomUUID();
        UserResource created = scim.create("Users", user(name));
        assertThat(created.getId()).isNotBlank();
        assertThat(created.getPassword()).isNull();
        assertThat(created.getMeta().getResourceType()).isEqualTo("User");
        assertThat(created.getMeta().getVersion()).isEqualTo("W/\"1\"");
        assertThat(created.getMeta().getLocation().toString()).endsWith("/scim/v2/Users/" + created.getId());
        assertThat(created.getActive()).isTrue();
        assertThat(created.getExternalId()).isEqualTo("ext-" + name);
        assertThat(created.getEmails()).hasSize(2);

        // The SCIM user is the directory user; its OIDC claims are what tokens and /userinfo release.
        var stored = directory.find(created.getId()).await().atMost(Duration.ofSeconds(5)).orElseThrow();
        assertThat(stored.username()).isEqualTo(name);
        assertThat(stored.claims()).containsEntry("given_name", "Ada").containsEntry("family_name", "Lovelace")
                .containsEntry("name", "Ada Lovelace").containsEntry("email", name + "@example.com");

        UserResource read = scim.retrieve("Users", created.getId(), UserResource.class);
        assertThat(read.getUserName()).isEqualTo(name);

        read.setDisplayName("Countess");
        read.getName().setGivenName("Augusta");
        read.setPassword(null);
        UserResource replaced = scim.replaceRequest(read).ifMatch().invoke();
        assertThat(replaced.getName().getGivenName()).isEqualTo("Augusta");
        assertThat(replaced.getMeta().getVersion()).isEqualTo("W/\"2\"");
        directory.changed(created.getId());
        assertThat(directory.find(created.getId()).await().atMost(Duration.ofSeconds(5)).orElseThrow().claims())
                .containsEntry("given_name", "Augusta");

        // The first read's version is stale now.
        assertThatThrownBy(() -> scim.replaceRequest(read).ifMatch().invoke())
                .isInstanceOf(PreconditionFailedException.class);

        scim.delete(replaced);
        assertThatThrownBy(() -> scim.retrieve("Users", created.getId(), UserResource.class))
                .isInstanceOf(ResourceNotFoundException.class);
    }
}
