package io.latchkey.authorize.passkeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.authorize.passkeys.PasskeyCeremonies.AssertionResponse;
import io.latchkey.authorize.passkeys.PasskeyCeremonies.Verified;
import io.latchkey.authorize.passkeys.PasskeyChallenges.Challenge;
import io.latchkey.authorize.passkeys.PasskeyChallenges.Purpose;
import io.latchkey.authorize.passkeys.PasskeyException.Reason;
import io.latchkey.model.directory.PasskeyDirectory;
import io.latchkey.model.directory.PasskeyDirectory.Passkey;
import io.latchkey.model.token.OpaqueToken;
import io.latchkey.testing.AuditRows;
import io.latchkey.testing.PostgresTestResource;
import io.latchkey.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Passkey registration and sign-in against real Redis and PostgreSQL, with a software authenticator, and the attacks on them. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class PasskeyCeremoniesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ALICE = "alice-sub";
    private static final String BOB = "bob-sub";

    @Inject
    PasskeyCeremonies ceremonies;

    @Inject
    PasskeyChallenges challenges;

    @Inject
    PasskeyDirectory directory;

    private final String binding = "req-" + OpaqueToken.randomId(8);

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(WAIT);
    }

    private Challenge challenge(Purpose purpose, String userId) {
        String value = await(challenges.issue(purpose, binding, userId));
        return await(challenges.take(value, purpose, binding));
    }

    private Passkey register(String userId, SoftwareAuthenticator authenticator) {
        Challenge challenge = challenge(Purpose.REGISTRATION, userId);
        return await(ceremonies.register(userId, challenge, authenticator.register(challenge.value()), "  My laptop  "));
    }

    private static void refused(ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOf(PasskeyException.class).extracting(e -> ((PasskeyException) e).reason()).isEqualTo(reason);
    }

    @Test
    void registerThenAuthenticateWithAllowListThenVerifiedAndCounterStored() {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator(0);
        Passkey passkey = register(ALICE, authenticator);

        assertThat(passkey.credentialId()).isEqualTo(authenticator.id());
        assertThat(passkey.name()).isEqualTo("My laptop");
        assertThat(passkey.transports()).containsExactly("hybrid", "internal");
        assertThat(passkey.backupEligible()).isFalse();
        assertThat(passkey.uvInitialized()).isTrue();
        assertThat(passkey.aaguid()).isEqualTo("00000000-0000-0000-0000-000000000000");

        Challenge challenge = challenge(Purpose.AUTHENTICATION, ALICE);
        Verified verified = await(ceremonies.authenticate(challenge, authenticator.sign(challenge.value(), null)));

        assertThat(verified).isEqualTo(new Verified(ALICE, passkey.id(), true, false));
        assertThat(PasskeyAmr.amr(verified)).containsExactly("hwk", "user", "mfa");
        Passkey used = await(directory.findByCredentialId(authenticator.id())).orElseThrow();
        assertThat(used.signCount()).isEqualTo(1);
        assertThat(used.lastUsedAt()).isNotNull();
    }

    @Test
    void authenticateWhenDiscoverableWithUserHandleThenVerified() {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator(0);
        authenticator.backupEligible = true;
        authenticator.backedUp = true;
        authenticator.userVerifying = false;
        Passkey passkey = register(ALICE, authenticator);
        String handle = await(directory.userHandle(ALICE));

        Challenge challenge = challenge(Purpose.AUTHENTICATION, null);
        // A synced passkey keeps its counter at 0 (WebAuthn §6.1.1 allows it): no clone detection, still valid.
        AssertionResponse assertion = authenticator.signAt(challenge.value(), handle, 0, SoftwareAuthenticator.ORIGIN,
                SoftwareAuthenticator.RP_ID, authenticator.keys());
        Verified verified = await(ceremonies.authenticate(challenge, assertion));

        assertThat(verified).isEqualTo(new Verified(ALICE, passkey.id(), false, true));
        assertThat(PasskeyAmr.amr(verified)).containsExactly("swk", "user");
    }

    @Test
    void authenticateWhenDiscoverableWithoutUserHandleThenRefused() {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator(0);
        register(ALICE, authenticator);

        Challenge challenge = challenge(Purpose.AUTHENTICATION, null);
        refused(() -> await(ceremonies.authenticate(challenge, authenticator.sign(challenge.value(), null))), Reason.USER_MISMATCH);
    }

    @Test
    void takeWhenChallengeReplayedThenSecondUseRefused() {
        String value = await(challenges.issue(Purpose.AUTHENTICATION, binding, null));

        assertThat(await(challenges.take(value, Purpose.AUTHENTICATION, binding)).value()).isEqualTo(value);
        refused(() -> await(challenges.take(value, Purpose.AUTHENTICATION, binding)), Reason.BAD_CHALLENGE);
        assertThat(await(challenges.take(value))).isEqualTo(Optional.empty());
    }

    @Test
    void takeWhenChallengeIssuedForAnotherPurposeOrBindingThenRefusedAndGone() {
        String registration = await(challenges.issue(Purpose.REGISTRATION, binding, ALICE));
        refused(() -> await(challenges.take(registration, Purpose.AUTHENTICATION, binding)), Reason.BAD_CHALLENGE);
        assertThat(await(challenges.take(registration))).isEmpty();

        String otherRequest = await(challenges.issue(Purpose.AUTHENTICATION, binding, null));
        refused(() -> await(challenges.take(otherRequest, Purpose.AUTHENTICATION, "req-someone-else")), Reason.BAD_CHALLENGE);
    }

    @Test
    void authenticateWhenChallengeIsForRegistrationThenRefused() {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator(0);
        register(ALICE, authenticator);

        Challenge registration = challenge(Purpose.REGISTRATION, ALICE);
        refused(() -> await(ceremonies.authenticate(registration, authenticator.sign(registration.value(), null))), Reason.BAD_CHALLENGE);
    }

    @Test
    void registerWhenChallengeIsForAnotherUserThenRefused() {
        Challenge bobs = challenge(Purpose.REGISTRATION, BOB);
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator(0);

        refused(() -> await(ceremonies.register(ALICE, bobs, authenticator.register(bobs.value()), null)), Reason.BAD_CHALLENGE);
        assertThat(await(directory.findByCredentialId(authenticator.id()))).isEmpty();
    }

    @Test
    void authenticateWhenSignedChallengeIsNotTheTakenOneThenRefused() {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator(0);
        register(ALICE, authenticator);
        Challenge taken = challenge(Purpose.AUTHENTICATION, ALICE);

        refused(() -> await(ceremonies.authenticate(taken, authenticator.sign(OpaqueToken.randomId(32), null))), Reason.BAD_CHALLENGE);
    }

    @Test
    void registerWhenClientDataIsAnAssertionThenRefused() {
        Challenge challenge = challenge(Purpose.REGISTRATION, ALICE);
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator(0);

        refused(() -> await(ceremonies.register(ALICE, challenge, authenticator.register(challenge.value(), "webauthn.get",
                SoftwareAuthenticator.ORIGIN, SoftwareAuthenticator.RP_ID), null)), Reason.MALFORMED);
    }

    @Test
    void registerWhenAnotherRpIdOrOriginThenRefused() {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator(0);
        Challenge first = challenge(Purpose.REGISTRATION, ALICE);
        refused(() -> await(ceremonies.register(ALICE, first, authenticator.register(first.value(), "webauthn.create",
                SoftwareAuthenticator.ORIGIN, "evil.example"), null)), Reason.BAD_RP);
        Challenge second = challenge(Purpose.REGISTRATION, ALICE);
        refused(() -> await(ceremonies.register(ALICE, second, authenticator.register(second.value(), "webauthn.create",
                "https://evil.example", SoftwareAuthenticator.RP_ID), null)), Reason.BAD_ORIGIN);
    }

    @Test
    void registerWhenCredentialIdAlreadyRegisteredThenRefused() {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator(0);
        register(ALICE, authenticator);

        Challenge challenge = challenge(Purpose.REGISTRATION, BOB);
        refused(() -> await(ceremonies.register(BOB, challenge, authenticator.register(challenge.value()), null)),
                Reason.DUPLICATE_CREDENTIAL);
    }

    @Test
    void authenticateWhenRpIdHashIsForAnotherRpThenRefused() {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator(0);
        register(ALICE, authenticator);
        Challenge challenge = challenge(Purpose.AUTHENTICATION, ALICE);

        refused(() -> await(ceremonies.authenticate(challenge, authenticator.signAt(challenge.value(), null, 1,
                SoftwareAuthenticator.ORIGIN, "evil.example", authenticator.keys()))), Reason.BAD_RP);
    }

    @Test
    void authenticateWhenClientDataNamesAnotherOriginThenRefused() {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator(0);
        register(ALICE, authenticator);
        Challenge challenge = challenge(Purpose.AUTHENTICATION, ALICE);

        refused(() -> await(ceremonies.authenticate(challenge, authenticator.signAt(challenge.value(), null, 1,
                "https://evil.example", SoftwareAuthenticator.RP_ID, authenticator.keys()))), Reason.BAD_ORIGIN);
    }

    @Test
    void authenticateWhenCounterStaysOrGoesBackThenRefusedAsClonedAndAudited() {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator(5);
        Passkey passkey = register(ALICE, authenticator);
        Challenge first = challenge(Purpose.AUTHENTICATION, ALICE);
        await(ceremonies.authenticate(first, authenticator.sign(first.value(), null)));
        long mark = AuditRows.mark();

        Challenge same = challenge(Purpose.AUTHENTICATION, ALICE);
        refused(() -> await(ceremonies.authenticate(same, authenticator.signAt(same.value(), null, 6, SoftwareAuthenticator.ORIGIN,
                SoftwareAuthenticator.RP_ID, authenticator.keys()))), Reason.COUNTER);
        Challenge back = challenge(Purpose.AUTHENTICATION, ALICE);
        refused(() -> await(ceremonies.authenticate(back, authenticator.signAt(back.value(), null, 2, SoftwareAuthenticator.ORIGIN,
                SoftwareAuthenticator.RP_ID, authenticator.keys()))), Reason.COUNTER);

        assertThat(await(directory.findByCredentialId(authenticator.id()))).map(Passkey::signCount).contains(6L);
        List<AuditRows.Row> failed = AuditRows.await(mark, r -> r.type().equals("passkey.failed") && ALICE.equals(r.subject()), 2, WAIT);
        assertThat(failed).allSatisfy(row -> assertThat(row.details()).contains("\"reason\": \"counter\"")
                .contains("\"passkeyId\": " + passkey.id()).doesNotContain(authenticator.id()));
    }

    @Test
    void authenticateWhenCredentialUnknownThenRefused() {
        SoftwareAuthenticator stranger = new SoftwareAuthenticator(0);
        Challenge challenge = challenge(Purpose.AUTHENTICATION, null);

        refused(() -> await(ceremonies.authenticate(challenge, stranger.sign(challenge.value(), "some-handle"))), Reason.UNKNOWN_CREDENTIAL);
    }

    @Test
    void authenticateWhenSignedWithAnotherKeyThenRefused() {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator(0);
        register(ALICE, authenticator);
        Challenge challenge = challenge(Purpose.AUTHENTICATION, ALICE);

        refused(() -> await(ceremonies.authenticate(challenge, authenticator.signAt(challenge.value(), null, 1,
                SoftwareAuthenticator.ORIGIN, SoftwareAuthenticator.RP_ID, SoftwareAuthenticator.ecKeys()))), Reason.BAD_SIGNATURE);
        assertThat(await(directory.findByCredentialId(authenticator.id()))).map(Passkey::signCount).contains(0L);
    }

    @Test
    void authenticateWhenUserHandleIsAnotherUsersThenRefused() {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator(0);
        register(ALICE, authenticator);
        String bobsHandle = await(directory.userHandle(BOB));
        Challenge challenge = challenge(Purpose.AUTHENTICATION, null);

        refused(() -> await(ceremonies.authenticate(challenge, authenticator.sign(challenge.value(), bobsHandle))), Reason.USER_MISMATCH);
    }

    @Test
    void authenticateWhenCredentialIsNotTheCeremonyUsersThenRefused() {
        SoftwareAuthenticator alices = new SoftwareAuthenticator(0);
        register(ALICE, alices);
        Challenge forBob = challenge(Purpose.AUTHENTICATION, BOB);

        refused(() -> await(ceremonies.authenticate(forBob, alices.sign(forBob.value(), null))), Reason.USER_MISMATCH);
    }

    @Test
    void authenticateWhenBackupEligibilityFlippedThenRefused() {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator(0);
        register(ALICE, authenticator);
        authenticator.backupEligible = true;
        Challenge challenge = challenge(Purpose.AUTHENTICATION, ALICE);

        refused(() -> await(ceremonies.authenticate(challenge, authenticator.sign(challenge.value(), null))), Reason.BACKUP_ELIGIBILITY);
    }

    @Test
    void authenticateWhenTwoAssertionsCarryOneCounterValueThenOneWins() {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator(0);
        register(ALICE, authenticator);
        Challenge first = challenge(Purpose.AUTHENTICATION, ALICE);
        Challenge second = challenge(Purpose.AUTHENTICATION, ALICE);
        AssertionResponse a = authenticator.signAt(first.value(), null, 1, SoftwareAuthenticator.ORIGIN, SoftwareAuthenticator.RP_ID,
                authenticator.keys());
        AssertionResponse b = authenticator.signAt(second.value(), null, 1, SoftwareAuthenticator.ORIGIN, SoftwareAuthenticator.RP_ID,
                authenticator.keys());

        List<Object> outcomes = await(Uni.join().all(outcome(ceremonies.authenticate(first, a)), outcome(ceremonies.authenticate(second, b)))
                .andFailFast());
        assertThat(outcomes).filteredOn(o -> o instanceof Verified).hasSize(1);
        // The loser either verified against the old counter and lost the conditional update, or read the new one.
        assertThat(outcomes).filteredOn(o -> o instanceof Reason).hasSize(1)
                .allSatisfy(reason -> assertThat(reason).isIn(Reason.CONCURRENT_USE, Reason.COUNTER));
    }

    private static Uni<Object> outcome(Uni<Verified> attempt) {
        return attempt.map(v -> (Object) v).onFailure(PasskeyException.class).recoverWithItem(e -> ((PasskeyException) e).reason());
    }

    @Test
    void registrationOptionsSerialiseToCreationOptionsJson() throws Exception {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator(0);
        Passkey existing = register(ALICE, authenticator);

        JsonNode json = new ObjectMapper().valueToTree(ceremonies.registrationOptions("aGFuZGxl", "alice", null, List.of(existing), "Y2hhbGxlbmdl"));

        assertThat(json.toString()).isEqualTo("{\"rp\":{\"id\":\"localhost\",\"name\":\"Latchkey\"},"
                + "\"user\":{\"id\":\"aGFuZGxl\",\"name\":\"alice\",\"displayName\":\"alice\"},\"challenge\":\"Y2hhbGxlbmdl\","
                + "\"pubKeyCredParams\":[{\"type\":\"public-key\",\"alg\":-7},{\"type\":\"public-key\",\"alg\":-8},"
                + "{\"type\":\"public-key\",\"alg\":-257}],\"timeout\":300000,"
                + "\"excludeCredentials\":[{\"type\":\"public-key\",\"id\":\"" + authenticator.id() + "\",\"transports\":[\"hybrid\",\"internal\"]}],"
                + "\"authenticatorSelection\":{\"residentKey\":\"required\",\"requireResidentKey\":true,\"userVerification\":\"preferred\"},"
                + "\"attestation\":\"none\"}");
    }

    @Test
    void authenticationOptionsWithoutAllowListSerialiseForDiscoverableSignIn() {
        JsonNode json = new ObjectMapper().valueToTree(ceremonies.authenticationOptions("Y2hhbGxlbmdl", new ArrayList<>()));

        assertThat(json.toString()).isEqualTo("{\"challenge\":\"Y2hhbGxlbmdl\",\"timeout\":300000,\"rpId\":\"localhost\","
                + "\"allowCredentials\":[],\"userVerification\":\"preferred\"}");
    }

    @Test
    void claimedChallengeReadsClientData() {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator(0);
        AssertionResponse assertion = authenticator.sign("Y2hhbGxlbmdl", null);

        assertThat(PasskeyCeremonies.claimedChallenge(assertion.clientDataJSON())).isEqualTo("Y2hhbGxlbmdl");
        refused(() -> PasskeyCeremonies.claimedChallenge("e30"), Reason.MALFORMED);
        refused(() -> PasskeyCeremonies.claimedChallenge("%%%"), Reason.MALFORMED);
    }
}
