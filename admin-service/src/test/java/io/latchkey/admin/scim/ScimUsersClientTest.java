package io.latchkey.admin.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.scim2.client.ScimService;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.PreconditionFailedException;
import com.unboundid.scim2.common.exceptions.ResourceConflictException;
import com.unboundid.scim2.common.messages.ListResponse;
import com.unboundid.scim2.common.messages.SortOrder;
import com.unboundid.scim2.common.types.GroupResource;
import com.unboundid.scim2.common.types.Member;
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

    @Test
    void modifyThroughPatch() throws Exception {
        String name = "patch-" + UUID.randomUUID();
        UserResource created = scim.create("Users", user(name));
        UserResource patched = scim.modifyRequest("Users", created.getId())
                .replaceValue("name.givenName", "Augusta")
                .replaceValue("displayName", "The Countess")
                .addValues("phoneNumbers", new com.unboundid.scim2.common.types.PhoneNumber().setValue("+44 20 7946 0000").setType("work"))
                .ifMatch(created.getMeta().getVersion())
                .invoke(UserResource.class);
        assertThat(patched.getName().getGivenName()).isEqualTo("Augusta");
        assertThat(patched.getDisplayName()).isEqualTo("The Countess");
        assertThat(patched.getPhoneNumbers()).extracting(p -> p.getValue()).containsExactly("+44 20 7946 0000");
        assertThat(patched.getMeta().getVersion()).isEqualTo("W/\"2\"");
        directory.changed(created.getId());
        assertThat(directory.find(created.getId()).await().atMost(Duration.ofSeconds(5)).orElseThrow().claims())
                .containsEntry("given_name", "Augusta").containsEntry("phone_number", "+44 20 7946 0000");

        UserResource disabled = scim.modifyRequest("Users", created.getId()).replaceValue("active", false)
                .invoke(UserResource.class);
        assertThat(disabled.getActive()).isFalse();
        assertThat(directory.find(created.getId()).await().atMost(Duration.ofSeconds(5)).orElseThrow().enabled()).isFalse();

        // A stale version refuses the change, through the client's own If-Match.
        assertThatThrownBy(() -> scim.modifyRequest("Users", created.getId()).replaceValue("title", "x")
                .ifMatch(created.getMeta().getVersion()).invoke(UserResource.class))
                .isInstanceOf(PreconditionFailedException.class);
    }

    @Test
    void searchWithFiltersSortingAndPaging() throws Exception {
        String tag = "srch" + Long.toString(System.nanoTime(), 36);
        for (String first : List.of("carol", "alice", "bob")) {
            UserResource user = user(tag + "-" + first);
            user.getName().setGivenName(first);
            scim.create("Users", user);
        }
        ListResponse<UserResource> one = scim.searchRequest("Users").filter("userName eq \"" + tag + "-alice\"")
                .invoke(UserResource.class);
        assertThat(one.getTotalResults()).isEqualTo(1);
        assertThat(one.getResources().get(0).getUserName()).isEqualTo(tag + "-alice");

        // userName is not case-exact; the look-alike form finds the account too.
        assertThat(scim.searchRequest("Users").filter("userName eq \"" + tag.toUpperCase() + "-ALICE\"")
                .invoke(UserResource.class).getTotalResults()).isEqualTo(1);
        assertThat(scim.searchRequest("Users").filter("emails.value eq \"" + tag + "-BOB@example.com\"")
                .invoke(UserResource.class).getTotalResults()).isEqualTo(1);
        assertThat(scim.searchRequest("Users").filter("emails[type eq \"work\" and value co \"" + tag + "-c\"]")
                .invoke(UserResource.class).getResources()).extracting(UserResource::getUserName).containsExactly(tag + "-carol");
        assertThat(scim.searchRequest("Users").filter("externalId eq \"ext-" + tag + "-bob\"")
                .invoke(UserResource.class).getTotalResults()).isEqualTo(1);

        ListResponse<UserResource> sorted = scim.searchRequest("Users").filter("userName sw \"" + tag + "\" and active eq true")
                .sort("name.givenName", SortOrder.DESCENDING).page(1, 2).invoke(UserResource.class);
        assertThat(sorted.getTotalResults()).isEqualTo(3);
        assertThat(sorted.getResources()).extracting(UserResource::getUserName).containsExactly(tag + "-carol", tag + "-bob");
        ListResponse<UserResource> second = scim.searchRequest("Users").filter("userName sw \"" + tag + "\"")
                .sort("name.givenName", SortOrder.DESCENDING).page(3, 2).invoke(UserResource.class);
        assertThat(second.getResources()).extracting(UserResource::getUserName).containsExactly(tag + "-alice");

        // POST .search (RFC 7644 §3.4.3), projected to the attributes asked for.
        ListResponse<UserResource> posted = scim.searchRequest("Users").filter("userName sw \"" + tag + "\"")
                .attributes("userName").invokePost(UserResource.class);
        assertThat(posted.getTotalResults()).isEqualTo(3);
        assertThat(posted.getResources()).allSatisfy(u -> assertThat(u.getEmails()).isNullOrEmpty());

        assertThatThrownBy(() -> scim.searchRequest("Users").filter("userName eq").invoke(UserResource.class))
                .isInstanceOf(BadRequestException.class);
    }

    @Test
    void userNameTakenIsConflict() throws Exception {
        String name = "taken-" + UUID.randomUUID();
        scim.create("Users", user(name));
        assertThatThrownBy(() -> scim.create("Users", user(name.toUpperCase())))
                .isInstanceOf(ResourceConflictException.class);
    }

    @Test
    void groupsWithMembers() throws Exception {
        UserResource ada = scim.create("Users", user("g-ada-" + UUID.randomUUID()));
        UserResource bob = scim.create("Users", user("g-bob-" + UUID.randomUUID()));
        GroupResource group = new GroupResource().setDisplayName("Engineers " + UUID.randomUUID())
                .setMembers(List.of(new Member().setValue(ada.getId())));
        GroupResource created = scim.create("Groups", group);
        assertThat(created.getMembers()).extracting(Member::getValue).containsExactly(ada.getId());
        assertThat(created.getMeta().getResourceType()).isEqualTo("Group");

        // The user's groups attribute is computed from memberships.
        UserResource adaRead = scim.retrieve("Users", ada.getId(), UserResource.class);
        assertThat(adaRead.getGroups()).extracting(g -> g.getValue()).containsExactly(created.getId());

        GroupResource added = scim.modifyRequest("Groups", created.getId())
                .addValues("members", new Member().setValue(bob.getId())).invoke(GroupResource.class);
        assertThat(added.getMembers()).extracting(Member::getValue).containsExactlyInAnyOrder(ada.getId(), bob.getId());

        GroupResource removed = scim.modifyRequest("Groups", created.getId())
                .removeValues("members[value eq \"" + ada.getId() + "\"]")
                .replaceValue("displayName", "Renamed " + created.getId())
                .invoke(GroupResource.class);
        assertThat(removed.getMembers()).extracting(Member::getValue).containsExactly(bob.getId());
        assertThat(removed.getDisplayName()).isEqualTo("Renamed " + created.getId());

        ListResponse<GroupResource> found = scim.searchRequest("Groups")
                .filter("displayName eq \"renamed " + created.getId() + "\"").invoke(GroupResource.class);
        assertThat(found.getResources()).extracting(GroupResource::getId).containsExactly(created.getId());
        assertThat(scim.searchRequest("Groups").filter("members[value eq \"" + bob.getId() + "\"]")
                .invoke(GroupResource.class).getResources()).extracting(GroupResource::getId).containsExactly(created.getId());

        removed.setMembers(List.of(new Member().setValue(ada.getId())));
        GroupResource replaced = scim.replaceRequest(removed).ifMatch().invoke();
        assertThat(replaced.getMembers()).extracting(Member::getValue).containsExactly(ada.getId());

        // A deleted user leaves the group.
        scim.delete("Users", ada.getId());
        assertThat(scim.retrieve("Groups", created.getId(), GroupResource.class).getMembers()).isNullOrEmpty();

        scim.delete(replaced);
        assertThatThrownBy(() -> scim.retrieve("Groups", created.getId(), GroupResource.class))
                .isInstanceOf(ResourceNotFoundException.class);
    }
}
