package io.latchkey.authorize.passkeys;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.AttestedCredentialDataConverter;
import com.webauthn4j.converter.exception.DataConversionException;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.AuthenticationRequest;
import com.webauthn4j.data.AuthenticatorTransport;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.RegistrationRequest;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import com.webauthn4j.util.exception.WebAuthnException;
import com.webauthn4j.verifier.attestation.statement.none.NoneAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.packed.PackedAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.trustworthiness.self.DefaultSelfAttestationTrustworthinessVerifier;
import com.webauthn4j.verifier.exception.BadAlgorithmException;
import com.webauthn4j.verifier.exception.BadAttestationStatementException;
import com.webauthn4j.verifier.exception.BadBackupEligibleFlagException;
import com.webauthn4j.verifier.exception.BadChallengeException;
import com.webauthn4j.verifier.exception.BadOriginException;
import com.webauthn4j.verifier.exception.BadRpIdException;
import com.webauthn4j.verifier.exception.BadSignatureException;
import com.webauthn4j.verifier.exception.BadTopOriginException;
import com.webauthn4j.verifier.exception.CertificateException;
import com.webauthn4j.verifier.exception.CrossOriginException;
import com.webauthn4j.verifier.exception.IllegalBackupStateException;
import com.webauthn4j.verifier.exception.MaliciousCounterValueException;
import com.webauthn4j.verifier.exception.MissingChallengeException;
import com.webauthn4j.verifier.exception.NotAllowedAlgorithmException;
import com.webauthn4j.verifier.exception.SelfAttestationProhibitedException;
import com.webauthn4j.verifier.exception.UserNotPresentException;
import io.latchkey.authorize.passkeys.PasskeyChallenges.Challenge;
import io.latchkey.authorize.passkeys.PasskeyChallenges.Purpose;
import io.latchkey.authorize.passkeys.PasskeyException.Reason;
import io.latchkey.model.audit.AuditEvent;
import io.latchkey.model.audit.AuditEventType;
import io.latchkey.model.audit.AuditTrail;
import io.latchkey.model.directory.PasskeyDirectory;
import io.latchkey.model.directory.PasskeyDirectory.DuplicateCredentialException;
import io.latchkey.model.directory.PasskeyDirectory.Passkey;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The WebAuthn Level 3 ceremonies: registering a passkey (§7.1) and verifying an assertion (§7.2), with webauthn4j
 * doing the byte-level checks (clientDataJSON type, challenge, origin, rpIdHash, flags, signature) and this class
 * the ones that need the directory (credential owner, user handle, counter, backup eligibility).
 *
 * <p>Attestation: the options ask for {@code "none"} (§5.4.7), since Latchkey trusts a passkey for what it proves
 * at sign-in, not for its maker. Accepted are the formats verifiable without the FIDO metadata service: {@code none}
 * and {@code packed} self attestation (signed by the credential's own key). A {@code packed} statement with a
 * certificate chain, and every other format, is refused: it cannot be checked here, and a browser that honours
 * "none" never sends one.
 *
 * <p>The verification is a few hundred microseconds of signature checking and does no I/O, so it runs on the
 * event loop that delivered the directory row.
 */
@ApplicationScoped
public class PasskeyCeremonies {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PUBLIC_KEY = "public-key";
    /** WebAuthn §7.1 step 25: longer credential ids are refused. */
    private static final int MAX_CREDENTIAL_ID_BYTES = 1023;
    /** COSE algorithms offered (§5.4 pubKeyCredParams), in order of preference: ES256, EdDSA, RS256. */
    private static final List<COSEAlgorithmIdentifier> ALGORITHMS =
            List.of(COSEAlgorithmIdentifier.ES256, COSEAlgorithmIdentifier.EdDSA, COSEAlgorithmIdentifier.RS256);

    // The shapes of PublicKeyCredentialCreationOptionsJSON and PublicKeyCredentialRequestOptionsJSON (§5.1.3-5.1.4):
    // binary members as base64url, as parseCreationOptionsFromJSON and passkeys.js expect them.

    public record RelyingPartyEntity(String id, String name) {
    }

    public record UserEntity(String id, String name, String displayName) {
    }

    public record CredentialParameters(String type, long alg) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record CredentialDescriptor(String type, String id, List<String> transports) {
    }

    public record AuthenticatorSelection(String residentKey, boolean requireResidentKey, String userVerification) {
    }

    /** PublicKeyCredentialCreationOptionsJSON (§5.4). */
    public record RegistrationOptions(RelyingPartyEntity rp, UserEntity user, String challenge,
            List<CredentialParameters> pubKeyCredParams, long timeout, List<CredentialDescriptor> excludeCredentials,
            AuthenticatorSelection authenticatorSelection, String attestation) {
    }

    /** PublicKeyCredentialRequestOptionsJSON (§5.5). An empty allow list asks for a discoverable credential. */
    public record AuthenticationOptions(String challenge, long timeout, String rpId, List<CredentialDescriptor> allowCredentials,
            String userVerification) {
    }

    /**
     * What the browser returned from navigator.credentials.create (§5.2.1), each binary member base64url.
     *
     * @param credentialId      PublicKeyCredential.rawId; must be the id inside the attestation object
     * @param transports        getTransports(), stored as hints for allow lists; unknown values are dropped
     */
    public record RegistrationResponse(String credentialId, String clientDataJSON, String attestationObject, List<String> transports) {
    }

    /**
     * What the browser returned from navigator.credentials.get (§5.2.2), each binary member base64url.
     *
     * @param userHandle null or empty when the authenticator returned none
     */
    public record AssertionResponse(String credentialId, String clientDataJSON, String authenticatorData, String signature,
            String userHandle) {
    }

    /**
     * A verified assertion.
     *
     * @param userVerified   the UV flag: the authenticator checked a PIN or biometric, so this counts as two factors
     * @param backupEligible the BE flag: a synced passkey ({@code swk}) rather than a device-bound one ({@code hwk})
     */
    public record Verified(String userId, long passkeyId, boolean userVerified, boolean backupEligible) {
    }

    private final RelyingParty rp;
    private final PasskeyConfig config;
    private final PasskeyDirectory directory;
    private final AuditTrail audit;
    private final WebAuthnManager webAuthn;
    private final AttestedCredentialDataConverter attestedCredentialData;

    public PasskeyCeremonies(RelyingParty rp, PasskeyConfig config, PasskeyDirectory directory, AuditTrail audit) {
        this.rp = rp;
        this.config = config;
        this.directory = directory;
        this.audit = audit;
        ObjectConverter converter = new ObjectConverter();
        this.webAuthn = new WebAuthnManager(
                List.of(new NoneAttestationStatementVerifier(), new PackedAttestationStatementVerifier()),
                (aaguid, statement, time) -> {
                    throw new CertificateException("Attestation certificates are not trusted: no metadata service");
                },
                new DefaultSelfAttestationTrustworthinessVerifier(true),
                converter);
        this.attestedCredentialData = new AttestedCredentialDataConverter(converter);
    }

    /**
     * The options of navigator.credentials.create for this user. {@code existing} become excludeCredentials (§5.4),
     * so an authenticator that holds one of them says so instead of making a second.
     */
    public RegistrationOptions registrationOptions(String userHandle, String userName, String displayName, List<Passkey> existing,
            String challenge) {
        return new RegistrationOptions(new RelyingPartyEntity(rp.id(), config.rpName()),
                new UserEntity(userHandle, userName, displayName == null || displayName.isBlank() ? userName : displayName),
                challenge,
                ALGORITHMS.stream().map(a -> new CredentialParameters(PUBLIC_KEY, a.getValue())).toList(),
                config.challengeLifetime().toMillis(),
                descriptors(existing),
                // A discoverable credential (§6.1 "client-side discoverable") is what makes it a passkey: sign-in without a username.
                new AuthenticatorSelection("required", true, "preferred"),
                "none");
    }

    /**
     * The options of navigator.credentials.get. UV is "preferred": a passkey without it still signs in (possession),
     * and {@link Verified#userVerified()} says whether it was also a second factor.
     */
    public AuthenticationOptions authenticationOptions(String challenge, List<Passkey> allow) {
        return new AuthenticationOptions(challenge, config.challengeLifetime().toMillis(), rp.id(), descriptors(allow), "preferred");
    }

    /**
     * Verifies a registration (§7.1) against a challenge taken for {@link Purpose#REGISTRATION} for this user, and
     * stores the passkey. UV is not required to register; UP is. Fails with {@link PasskeyException}.
     */
    public Uni<Passkey> register(String userId, Challenge challenge, RegistrationResponse r, String name) {
        return Uni.createFrom().item(() -> verifyRegistration(userId, challenge, r, name))
                .flatMap(passkey -> directory.add(passkey)
                        .onFailure(DuplicateCredentialException.class)
                        .transform(e -> new PasskeyException(Reason.DUPLICATE_CREDENTIAL, e.getMessage(), e)))
                .invoke(stored -> audit.emit(new AuditEvent(AuditEventType.PASSKEY_REGISTERED, "user:" + userId, userId, null,
                        details("passkeyId", stored.id(), "backupEligible", stored.backupEligible(), "aaguid", stored.aaguid()))))
                .onFailure(PasskeyException.class)
                .invoke(e -> failed(userId, null, "registration", ((PasskeyException) e).reason()));
    }

    private Passkey verifyRegistration(String userId, Challenge challenge, RegistrationResponse r, String name) {
        if (challenge.purpose() != Purpose.REGISTRATION || !userId.equals(challenge.userId())) {
            throw new PasskeyException(Reason.BAD_CHALLENGE, "The challenge is not for registering a passkey of this user");
        }
        RegistrationData data;
        try {
            data = webAuthn.parse(new RegistrationRequest(decode(r.attestationObject()), decode(r.clientDataJSON()),
                    transports(r.transports()).stream().map(AuthenticatorTransport::getValue).collect(java.util.stream.Collectors.toSet())));
        } catch (DataConversionException | IllegalArgumentException e) {
            throw new PasskeyException(Reason.MALFORMED, "Undecodable registration response", e);
        }
        if (data.getAttestationObject() == null || data.getCollectedClientData() == null) {
            throw new PasskeyException(Reason.MALFORMED, "Registration response without attestation object or client data");
        }
        List<PublicKeyCredentialParameters> offered = ALGORITHMS.stream()
                .map(a -> new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, a)).toList();
        verify(() -> webAuthn.verify(data, new RegistrationParameters(serverProperty(challenge), offered, false, true)));

        AuthenticatorData<?> authenticator = data.getAttestationObject().getAuthenticatorData();
        AttestedCredentialData credential = authenticator.getAttestedCredentialData();
        byte[] credentialId = credential.getCredentialId();
        if (credentialId.length > MAX_CREDENTIAL_ID_BYTES) {
            throw new PasskeyException(Reason.MALFORMED, "Credential id longer than " + MAX_CREDENTIAL_ID_BYTES + " bytes");
        }
        if (r.credentialId() != null && !Arrays.equals(credentialId, decodeOrNull(r.credentialId()))) {
            throw new PasskeyException(Reason.MALFORMED, "rawId differs from the credential id in the attestation object");
        }
        return new Passkey(0, userId, B64.encodeToString(credentialId), cleanName(name), B64.encodeToString(coseKey(credential)),
                authenticator.getSignCount(), authenticator.isFlagBE(), authenticator.isFlagBS(), authenticator.isFlagUV(),
                data.getTransports() == null ? List.of() : data.getTransports().stream().map(AuthenticatorTransport::getValue).sorted().toList(),
                credential.getAaguid().toString(), null, null);
    }

    /**
     * Verifies an assertion (§7.2) against a challenge taken for {@link Purpose#AUTHENTICATION}. When the challenge
     * names a user (a second factor, an allow list), the credential must be theirs; when it does not (a discoverable
     * sign-in), the user handle must be present (§7.2 step 6), and when present it must be the credential owner's.
     * On success the new counter and backup state are stored. Fails with {@link PasskeyException}.
     */
    public Uni<Verified> authenticate(Challenge challenge, AssertionResponse r) {
        if (challenge.purpose() != Purpose.AUTHENTICATION) {
            return refuse(null, null, Reason.BAD_CHALLENGE, "The challenge is not for signing in");
        }
        if (r.credentialId() == null || r.credentialId().isEmpty() || r.credentialId().length() > 2 * MAX_CREDENTIAL_ID_BYTES) {
            return refuse(null, null, Reason.MALFORMED, "No credential id");
        }
        return directory.findByCredentialId(r.credentialId()).flatMap(found -> {
            if (found.isEmpty()) {
                return refuse(null, null, Reason.UNKNOWN_CREDENTIAL, "Unknown credential");
            }
            Passkey passkey = found.get();
            if (challenge.userId() != null && !challenge.userId().equals(passkey.userId())) {
                return refuse(passkey, challenge.userId(), Reason.USER_MISMATCH, "The credential is another user's than the ceremony's");
            }
            boolean handlePresented = r.userHandle() != null && !r.userHandle().isEmpty();
            if (!handlePresented && challenge.userId() == null) {
                return refuse(passkey, null, Reason.USER_MISMATCH, "A discoverable sign-in without a user handle");
            }
            Uni<Optional<String>> handleOwner = handlePresented
                    ? directory.userIdByHandle(r.userHandle())
                    : Uni.createFrom().item(Optional.of(passkey.userId()));
            return handleOwner.flatMap(owner -> {
                if (!owner.equals(Optional.of(passkey.userId()))) {
                    return refuse(passkey, null, Reason.USER_MISMATCH, "The user handle is not the credential owner's");
                }
                AuthenticatorData<?> signed;
                try {
                    signed = verifyAssertion(challenge, r, passkey);
                } catch (PasskeyException e) {
                    return refuse(passkey, null, e);
                }
                return directory.recordUse(passkey.credentialId(), passkey.signCount(), signed.getSignCount(), signed.isFlagBS())
                        .flatMap(recorded -> {
                            if (!recorded) {
                                return refuse(passkey, null, Reason.CONCURRENT_USE, "Another assertion with this counter was recorded first");
                            }
                            Verified verified = new Verified(passkey.userId(), passkey.id(), signed.isFlagUV(), passkey.backupEligible());
                            audit.emit(new AuditEvent(AuditEventType.PASSKEY_SUCCEEDED, "user:" + passkey.userId(), passkey.userId(), null,
                                    details("passkeyId", passkey.id(), "userVerified", verified.userVerified(),
                                            "backupState", signed.isFlagBS())));
                            return Uni.createFrom().item(verified);
                        });
            });
        });
    }

    private AuthenticatorData<?> verifyAssertion(Challenge challenge, AssertionResponse r, Passkey passkey) {
        AuthenticationData data;
        try {
            data = webAuthn.parse(new AuthenticationRequest(decode(r.credentialId()), decodeOrNull(r.userHandle()),
                    decode(r.authenticatorData()), decode(r.clientDataJSON()), null, decode(r.signature())));
        } catch (DataConversionException | IllegalArgumentException e) {
            throw new PasskeyException(Reason.MALFORMED, "Undecodable assertion", e);
        }
        if (data.getAuthenticatorData() == null || data.getCollectedClientData() == null) {
            throw new PasskeyException(Reason.MALFORMED, "Assertion without authenticator data or client data");
        }
        CredentialRecordImpl record = new CredentialRecordImpl(new NoneAttestationStatement(), passkey.uvInitialized(),
                passkey.backupEligible(), passkey.backupState(), passkey.signCount(), storedCredential(passkey), null, null, null,
                transports(passkey.transports()));
        verify(() -> webAuthn.verify(data, new AuthenticationParameters(serverProperty(challenge), record, null, false, true)));
        AuthenticatorData<?> signed = data.getAuthenticatorData();
        // §7.2 step 22, stated here rather than left to the library's default handler: a counter that does not grow,
        // once either side has counted, means two authenticators hold the key.
        long stored = passkey.signCount();
        long presented = signed.getSignCount();
        if ((stored != 0 || presented != 0) && presented <= stored) {
            throw new PasskeyException(Reason.COUNTER, "Signature counter " + presented + " not above " + stored);
        }
        // §6.1.3: BE is fixed when the credential is made; a change means another authenticator or a tampered one.
        if (signed.isFlagBE() != passkey.backupEligible()) {
            throw new PasskeyException(Reason.BACKUP_ELIGIBILITY, "The BE flag changed");
        }
        return signed;
    }

    /** The challenge a response claims to answer (from its clientDataJSON), to find the stored one; verified later. */
    public static String claimedChallenge(String clientDataJSON) {
        try {
            JsonNode challenge = JSON.readTree(decode(clientDataJSON)).get("challenge");
            if (challenge == null || !challenge.isTextual()) {
                throw new PasskeyException(Reason.MALFORMED, "clientDataJSON without a challenge");
            }
            return challenge.asText();
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new PasskeyException(Reason.MALFORMED, "Undecodable clientDataJSON", e);
        }
    }

    private ServerProperty serverProperty(Challenge challenge) {
        return ServerProperty.builder().origin(new Origin(rp.origin())).rpId(rp.id())
                .challenge(new DefaultChallenge(challenge.value())).build();
    }

    /** Rebuilds the attested credential data from what is stored: aaguid, id and the COSE key (§6.5.1 layout). */
    private AttestedCredentialData storedCredential(Passkey passkey) {
        byte[] id = B64D.decode(passkey.credentialId());
        byte[] key = B64D.decode(passkey.publicKeyCose());
        byte[] aaguid = new AAGUID(passkey.aaguid()).getBytes();
        byte[] bytes = new byte[16 + 2 + id.length + key.length];
        System.arraycopy(aaguid, 0, bytes, 0, 16);
        bytes[16] = (byte) (id.length >> 8);
        bytes[17] = (byte) id.length;
        System.arraycopy(id, 0, bytes, 18, id.length);
        System.arraycopy(key, 0, bytes, 18 + id.length, key.length);
        return attestedCredentialData.convert(bytes);
    }

    /** The credentialPublicKey bytes: the attested credential data after aaguid (16), length (2) and id. */
    private byte[] coseKey(AttestedCredentialData credential) {
        byte[] bytes = attestedCredentialData.convert(credential);
        return Arrays.copyOfRange(bytes, 18 + credential.getCredentialId().length, bytes.length);
    }

    private static void verify(Runnable check) {
        try {
            check.run();
        } catch (BadChallengeException | MissingChallengeException e) {
            throw new PasskeyException(Reason.BAD_CHALLENGE, e.getMessage(), e);
        } catch (BadOriginException | CrossOriginException | BadTopOriginException e) {
            throw new PasskeyException(Reason.BAD_ORIGIN, e.getMessage(), e);
        } catch (BadRpIdException e) {
            throw new PasskeyException(Reason.BAD_RP, e.getMessage(), e);
        } catch (UserNotPresentException e) {
            throw new PasskeyException(Reason.USER_NOT_PRESENT, e.getMessage(), e);
        } catch (BadSignatureException e) {
            throw new PasskeyException(Reason.BAD_SIGNATURE, e.getMessage(), e);
        } catch (MaliciousCounterValueException e) {
            throw new PasskeyException(Reason.COUNTER, e.getMessage(), e);
        } catch (BadBackupEligibleFlagException | IllegalBackupStateException e) {
            throw new PasskeyException(Reason.BACKUP_ELIGIBILITY, e.getMessage(), e);
        } catch (NotAllowedAlgorithmException | BadAlgorithmException e) {
            throw new PasskeyException(Reason.BAD_ALGORITHM, e.getMessage(), e);
        } catch (BadAttestationStatementException | CertificateException | SelfAttestationProhibitedException e) {
            throw new PasskeyException(Reason.BAD_ATTESTATION, e.getMessage(), e);
        } catch (WebAuthnException | IllegalArgumentException e) {
            throw new PasskeyException(Reason.MALFORMED, e.getMessage(), e);
        }
    }

    private <T> Uni<T> refuse(Passkey passkey, String subject, Reason reason, String message) {
        return refuse(passkey, subject, new PasskeyException(reason, message));
    }

    private <T> Uni<T> refuse(Passkey passkey, String subject, PasskeyException e) {
        failed(passkey == null ? subject : passkey.userId(), passkey == null ? null : passkey.id(), "authentication", e.reason());
        return Uni.createFrom().failure(e);
    }

    private void failed(String subject, Long passkeyId, String ceremony, Reason reason) {
        audit.emit(new AuditEvent(AuditEventType.PASSKEY_FAILED, null, subject, null,
                details("ceremony", ceremony, "reason", reason.value(), "passkeyId", passkeyId)));
    }

    private static Map<String, Object> details(Object... pairs) {
        Map<String, Object> details = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            details.put((String) pairs[i], pairs[i + 1]);
        }
        return details;
    }

    private static List<CredentialDescriptor> descriptors(List<Passkey> passkeys) {
        List<CredentialDescriptor> descriptors = new ArrayList<>();
        for (Passkey p : passkeys) {
            descriptors.add(new CredentialDescriptor(PUBLIC_KEY, p.credentialId(), p.transports()));
        }
        return descriptors;
    }

    /** Only the transports WebAuthn §5.8.4 names: a hint list is no place for whatever a client sent. */
    private static Set<AuthenticatorTransport> transports(List<String> given) {
        Set<AuthenticatorTransport> known = new HashSet<>();
        if (given != null) {
            for (String t : given) {
                switch (t) {
                    case "usb", "nfc", "ble", "smart-card", "hybrid", "internal" -> known.add(AuthenticatorTransport.create(t));
                    default -> {
                    }
                }
            }
        }
        return known;
    }

    private static String cleanName(String name) {
        if (name == null) {
            return null;
        }
        String trimmed = name.strip();
        if (trimmed.isEmpty()) {
            return null;
        }
        return trimmed.codePointCount(0, trimmed.length()) > 64 ? trimmed.substring(0, trimmed.offsetByCodePoints(0, 64)) : trimmed;
    }

    private static byte[] decode(String base64url) {
        if (base64url == null) {
            throw new IllegalArgumentException("missing");
        }
        return B64D.decode(base64url);
    }

    private static byte[] decodeOrNull(String base64url) {
        return base64url == null || base64url.isEmpty() ? null : B64D.decode(base64url);
    }
}
