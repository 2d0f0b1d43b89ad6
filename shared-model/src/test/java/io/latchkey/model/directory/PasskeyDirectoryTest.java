package io.latchkey.model.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.model.directory.PasskeyDirectory.DuplicateCredentialException;
import io.latchkey.model.directory.PasskeyDirectory.Passkey;
import io.latchkey.model.domain.User;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.latchkey.testing.TestPostgres;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Passkeys and user handles against a real PostgreSQL: round trips, ownership, uniqueness and races. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class PasskeyDirectoryTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    PasskeyDirectory passkeys;

    @Inject
    UserDirectory users;

    @Inject
    Pool pool;

    private final String suffix = OpaqueToken.randomId(6).toLowerCase(java.util.Locale.ROOT).replace('-', 'x').replace('_', 'y');
    private final String alice = "alice-" + suffix;
    private final String bob = "bob-" + suffix;

    @BeforeEach
    void createUsers() {
        pool.withTransaction(tx -> users.save(tx, List.of(new User(alice, alice, null, true, Map.of()),
                new User(bob, bob, null, true, Map.of())))).await().atMost(WAIT);
    }

    private Passkey passkey(String userId, String credentialId, long signCount) {
        return new Passkey(0, userId, credentialId, "Laptop", "pQECAyYgASFYIA", signCount, true, false, true,
                List.of("internal", "hybrid"), "00000000-0000-0000-0000-000000000000", null, null);
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(WAIT);
    }

    @Test
    void addThenFindByCredentialIdReturnsEveryField() {
        Instant before = Instant.now().minusSeconds(5);
        Passkey added = await(passkeys.add(passkey(alice, "cred-" + suffix, 7)));

        assertThat(added.id()).isPositive();
        assertThat(added.createdAt()).isAfter(before);
        assertThat(added.lastUsedAt()).isNull();
        assertThat(added).isEqualTo(new Passkey(added.id(), alice, "cred-" + suffix, "Laptop", "pQECAyYgASFYIA", 7, true, false,
                true, List.of("internal", "hybrid"), "00000000-0000-0000-0000-000000000000", added.createdAt(), null));
        assertThat(await(passkeys.findByCredentialId("cred-" + suffix))).contains(added);
        assertThat(await(passkeys.findByCredentialId("other-" + suffix))).isEmpty();
    }

    @Test
    void addWhenCredentialIdBelongsToAnotherUserThenDuplicateCredential() {
        await(passkeys.add(passkey(alice, "cred-" + suffix, 0)));

        assertThatThrownBy(() -> await(passkeys.add(passkey(bob, "cred-" + suffix, 0))))
                .isInstanceOf(DuplicateCredentialException.class).hasMessageContaining("cred-" + suffix);
        assertThat(await(passkeys.list(bob))).isEmpty();
    }

    @Test
    void listReturnsOnlyTheUsersPasskeysOldestFirst() {
        Passkey first = await(passkeys.add(passkey(alice, "a1-" + suffix, 0)));
        Passkey second = await(passkeys.add(passkey(alice, "a2-" + suffix, 0)));
        await(passkeys.add(passkey(bob, "b1-" + suffix, 0)));

        assertThat(await(passkeys.list(alice))).extracting(Passkey::id).containsExactly(first.id(), second.id());
    }

    @Test
    void renameAndRemoveWhenPasskeyIsAnotherUsersThenNothingChanges() {
        Passkey bobs = await(passkeys.add(passkey(bob, "b1-" + suffix, 0)));

        assertThat(await(passkeys.rename(alice, bobs.id(), "mine now"))).isFalse();
        assertThat(await(passkeys.remove(alice, bobs.id()))).isFalse();
        assertThat(await(passkeys.findByCredentialId("b1-" + suffix))).map(Passkey::name).contains("Laptop");

        assertThat(await(passkeys.rename(bob, bobs.id(), "Phone"))).isTrue();
        assertThat(await(passkeys.findByCredentialId("b1-" + suffix))).map(Passkey::name).contains("Phone");
        assertThat(await(passkeys.remove(bob, bobs.id()))).isTrue();
        assertThat(await(passkeys.findByCredentialId("b1-" + suffix))).isEmpty();
    }

    @Test
    void removeAllRemovesOnlyPasskeysOfThatUser() {
        await(passkeys.add(passkey(alice, "a1-" + suffix, 0)));
        await(passkeys.add(passkey(alice, "a2-" + suffix, 0)));
        await(passkeys.add(passkey(bob, "b1-" + suffix, 0)));
        TestPostgres.get().execute("INSERT INTO credentials (user_id, type, secret) VALUES ('" + alice + "', 'password', 'x')");

        assertThat(await(passkeys.count(alice))).isEqualTo(2);
        assertThat(await(passkeys.removeAll(alice))).isEqualTo(2);
        assertThat(await(passkeys.count(alice))).isZero();
        assertThat(await(passkeys.list(alice))).isEmpty();
        assertThat(await(passkeys.list(bob))).hasSize(1);
        assertThat(TestPostgres.get().queryOne("SELECT count(*) FROM credentials WHERE user_id = '" + alice + "'")).isEqualTo("1");
    }

    @Test
    void recordUseWhenCounterIsStillExpectedThenStoresCounterBackupStateAndTime() {
        await(passkeys.add(passkey(alice, "a1-" + suffix, 3)));

        assertThat(await(passkeys.recordUse("a1-" + suffix, 3, 9, true))).isTrue();
        Passkey used = await(passkeys.findByCredentialId("a1-" + suffix)).orElseThrow();
        assertThat(used.signCount()).isEqualTo(9);
        assertThat(used.backupState()).isTrue();
        assertThat(used.backupEligible()).isTrue();
        assertThat(used.lastUsedAt()).isNotNull();
    }

    @Test
    void recordUseWhenCounterMovedMeanwhileThenFalseAndNothingChanges() {
        await(passkeys.add(passkey(alice, "a1-" + suffix, 3)));
        assertThat(await(passkeys.recordUse("a1-" + suffix, 3, 4, false))).isTrue();

        assertThat(await(passkeys.recordUse("a1-" + suffix, 3, 4, true))).isFalse();
        assertThat(await(passkeys.findByCredentialId("a1-" + suffix))).map(Passkey::backupState).contains(false);
    }

    @Test
    void recordUseWhenTwoAssertionsRaceOnOneCounterValueThenOneWins() {
        await(passkeys.add(passkey(alice, "a1-" + suffix, 5)));

        List<Boolean> results = await(Uni.join().all(passkeys.recordUse("a1-" + suffix, 5, 6, false),
                passkeys.recordUse("a1-" + suffix, 5, 6, false)).andCollectFailures());
        assertThat(results).containsExactlyInAnyOrder(true, false);
    }

    @Test
    void userHandleIsMadeOnceAndFindsItsUser() {
        String handle = await(passkeys.userHandle(alice));

        assertThat(handle).matches("[A-Za-z0-9_-]{43}");
        assertThat(await(passkeys.userHandle(alice))).isEqualTo(handle);
        assertThat(await(passkeys.userHandle(bob))).isNotEqualTo(handle);
        assertThat(await(passkeys.userIdByHandle(handle))).contains(alice);
        assertThat(await(passkeys.userIdByHandle("no-such-handle"))).isEqualTo(Optional.empty());
    }

    @Test
    void userHandleWhenTwoFirstRegistrationsRaceThenBothGetOneHandle() {
        List<String> handles = await(Uni.join().all(passkeys.userHandle(alice), passkeys.userHandle(alice)).andCollectFailures());

        assertThat(handles.get(0)).isEqualTo(handles.get(1));
        assertThat(TestPostgres.get().queryOne("SELECT webauthn_handle FROM users WHERE id = '" + alice + "'")).isEqualTo(handles.get(0));
    }

    @Test
    void userHandleWhenUserUnknownThenFails() {
        assertThatThrownBy(() -> await(passkeys.userHandle("nobody-" + suffix))).isInstanceOf(IllegalArgumentException.class);
    }
}
