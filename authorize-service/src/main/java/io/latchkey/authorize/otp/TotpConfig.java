package io.latchkey.authorize.otp;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** The TOTP second factor's settings. */
@ConfigMapping(prefix = "latchkey.totp")
public interface TotpConfig {

    /**
     * The AES-256 key that encrypts stored TOTP secrets, as base64 of 32 bytes. Without it TOTP cannot be enrolled
     * or checked ({@link TotpSecrets#available()}).
     */
    Optional<String> encryptionKey();

    /** Earlier keys, base64 of 32 bytes each: they still decrypt secrets stored before a rotation, never encrypt. */
    Optional<List<String>> previousEncryptionKeys();

    /** The issuer authenticator apps show beside the account name. */
    @WithDefault("Latchkey")
    String issuerLabel();
}
