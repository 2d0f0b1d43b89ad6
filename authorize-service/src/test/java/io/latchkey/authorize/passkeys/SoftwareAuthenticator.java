package io.latchkey.authorize.passkeys;

import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import io.latchkey.authorize.passkeys.PasskeyCeremonies.AssertionResponse;
import io.latchkey.authorize.passkeys.PasskeyCeremonies.RegistrationResponse;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A WebAuthn authenticator and client in software (WebAuthn §6.1 authenticator data, §5.8.1 client data, §8.7
 * "none" attestation): an ES256 key, a counter, and the flags a test chooses. Each method takes what an attacker
 * could change (origin, RP ID) so tests can lie with it.
 */
final class SoftwareAuthenticator {

    static final String ORIGIN = "http://localhost:8080";
    static final String RP_ID = "localhost";

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final ObjectConverter CONVERTER = new ObjectConverter();
    private static final byte UP = 0x01;
    private static final byte UV = 0x04;
    private static final byte BE = 0x08;
    private static final byte BS = 0x10;
    private static final byte AT = 0x40;

    final byte[] credentialId = new byte[16];
    private final KeyPair keys;
    long counter;
    boolean userVerifying = true;
    boolean backupEligible;
    boolean backedUp;

    SoftwareAuthenticator(long counter) {
        new SecureRandom().nextBytes(credentialId);
        this.counter = counter;
        this.keys = ecKeys();
    }

    static KeyPair ecKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    String id() {
        return B64.encodeToString(credentialId);
    }

    RegistrationResponse register(String challenge) {
        return register(challenge, "webauthn.create", ORIGIN, RP_ID);
    }

    RegistrationResponse register(String challenge, String type, String origin, String rpId) {
        byte[] clientData = clientData(type, challenge, origin);
        byte[] coseKey = CONVERTER.getCborConverter().writeValueAsBytes(EC2COSEKey.create((ECPublicKey) keys.getPublic(),
                COSEAlgorithmIdentifier.ES256));
        ByteArrayOutputStream authData = new ByteArrayOutputStream();
        authData.writeBytes(authenticatorData(rpId, (byte) (flags() | AT), counter));
        authData.writeBytes(new byte[16]); // aaguid: zeros, as under "none" attestation
        authData.write(credentialId.length >> 8);
        authData.write(credentialId.length);
        authData.writeBytes(credentialId);
        authData.writeBytes(coseKey);
        Map<String, Object> attestation = new LinkedHashMap<>();
        attestation.put("fmt", "none");
        attestation.put("attStmt", Map.of());
        attestation.put("authData", authData.toByteArray());
        byte[] attestationObject = CONVERTER.getCborConverter().writeValueAsBytes(attestation);
        return new RegistrationResponse(id(), B64.encodeToString(clientData), B64.encodeToString(attestationObject),
                List.of("internal", "hybrid", "bogus"));
    }

    /** Signs an assertion with the next counter value. */
    AssertionResponse sign(String challenge, String userHandle) {
        counter++;
        return signAt(challenge, userHandle, counter, ORIGIN, RP_ID, keys);
    }

    AssertionResponse signAt(String challenge, String userHandle, long count, String origin, String rpId, KeyPair signer) {
        byte[] clientData = clientData("webauthn.get", challenge, origin);
        byte[] authData = authenticatorData(rpId, flags(), count);
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(signer.getPrivate());
            signature.update(authData);
            signature.update(sha256(clientData));
            return new AssertionResponse(id(), B64.encodeToString(clientData), B64.encodeToString(authData),
                    B64.encodeToString(signature.sign()), userHandle);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    KeyPair keys() {
        return keys;
    }

    private byte flags() {
        byte flags = UP;
        if (userVerifying) {
            flags |= UV;
        }
        if (backupEligible) {
            flags |= BE;
        }
        if (backedUp) {
            flags |= BS;
        }
        return flags;
    }

    private static byte[] authenticatorData(String rpId, byte flags, long count) {
        return ByteBuffer.allocate(37).put(sha256(rpId.getBytes(StandardCharsets.UTF_8))).put(flags).putInt((int) count).array();
    }

    private static byte[] clientData(String type, String challenge, String origin) {
        return ("{\"type\":\"" + type + "\",\"challenge\":\"" + challenge + "\",\"origin\":\"" + origin + "\",\"crossOrigin\":false}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
