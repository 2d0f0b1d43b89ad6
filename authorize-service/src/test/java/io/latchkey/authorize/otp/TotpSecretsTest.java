package io.latchkey.authorize.otp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TotpSecretsTest {

    private static final String KEY_A = key(1);
    private static final String KEY_B = key(2);

    private static String key(int fill) {
        byte[] bytes = new byte[32];
        java.util.Arrays.fill(bytes, (byte) fill);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static TotpSecrets secrets(String current, String... previous) {
        return new TotpSecrets(new TotpConfig() {
            @Override
            public Optional<String> encryptionKey() {
                return Optional.ofNullable(current);
            }

            @Override
            public Optional<List<String>> previousEncryptionKeys() {
                return previous.length == 0 ? Optional.empty() : Optional.of(List.of(previous));
            }

            @Override
            public String issuerLabel() {
                return "Latchkey";
            }
        });
    }

    @Test
    void encryptThenDecryptForTheSameUserGivesTheSecretBack() {
        TotpSecrets secrets = secrets(KEY_A);
        byte[] secret = Totp.newSecret();
        String stored = secrets.encrypt("alice", secret);
        assertThat(stored).matches("v1\\.[0-9a-f]{8}\\.[A-Za-z0-9_-]+").doesNotContain(Base32.encode(secret));
        assertThat(stored.split("\\.")[1]).isEqualTo(TotpSecrets.keyId(Base64.getDecoder().decode(KEY_A)));
        assertThat(secrets.decrypt("alice", stored)).isEqualTo(secret);
        // A fresh IV each time: equal secrets are not recognisable in the table.
        assertThat(secrets.encrypt("alice", secret)).isNotEqualTo(stored);
    }

    @Test
    void decryptWhenCiphertextAlteredThenRefused() {
        TotpSecrets secrets = secrets(KEY_A);
        String stored = secrets.encrypt("alice", Totp.newSecret());
        byte[] data = Base64.getUrlDecoder().decode(stored.split("\\.")[2]);
        for (int i : new int[] {0, 12, data.length - 1}) {
            byte[] altered = data.clone();
            altered[i] ^= 1;
            String tampered = "v1." + stored.split("\\.")[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(altered);
            assertThatThrownBy(() -> secrets.decrypt("alice", tampered)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("does not decrypt");
        }
    }

    @Test
    void decryptWhenMovedToAnotherUsersRowThenRefused() {
        TotpSecrets secrets = secrets(KEY_A);
        String stored = secrets.encrypt("alice", Totp.newSecret());
        assertThatThrownBy(() -> secrets.decrypt("mallory", stored)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not decrypt");
    }

    @Test
    void decryptAfterRotationWithTheOldKeyAmongThePreviousThenStillDecryptsAndNewSecretsUseTheNewKey() {
        byte[] secret = Totp.newSecret();
        String old = secrets(KEY_A).encrypt("alice", secret);
        TotpSecrets rotated = secrets(KEY_B, KEY_A);
        assertThat(rotated.decrypt("alice", old)).isEqualTo(secret);
        assertThat(rotated.encrypt("alice", secret).split("\\.")[1]).isEqualTo(TotpSecrets.keyId(Base64.getDecoder().decode(KEY_B)));
    }

    @Test
    void decryptWhenTheKeyIsNoLongerConfiguredThenRefusedNamingTheKeyId() {
        String old = secrets(KEY_A).encrypt("alice", Totp.newSecret());
        assertThatThrownBy(() -> secrets(KEY_B).decrypt("alice", old)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has id " + TotpSecrets.keyId(Base64.getDecoder().decode(KEY_A)));
    }

    @Test
    void decryptWhenNotTheStoredFormThenRefused() {
        TotpSecrets secrets = secrets(KEY_A);
        for (String junk : new String[] {"", "v2.abcdefgh.AAAA", "v1.abcdefgh", "v1.abcdefgh.!!!", "JBSWY3DPEHPK3PXP"}) {
            assertThatThrownBy(() -> secrets.decrypt("alice", junk)).as(junk).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void startWhenAKeyIsNotThirtyTwoBytesThenRefusedNamingTheSettingNotTheValue() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> secrets(shortKey)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("latchkey.totp.encryption-key").hasMessageContaining("16 bytes").hasMessageNotContaining(shortKey);
        String longKey = Base64.getEncoder().encodeToString(new byte[33]);
        assertThatThrownBy(() -> secrets(KEY_A, longKey)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("latchkey.totp.previous-encryption-keys").hasMessageNotContaining(longKey);
        assertThatThrownBy(() -> secrets("not base64 at all!")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("latchkey.totp.encryption-key").hasMessageNotContaining("not base64 at all!");
    }

    @Test
    void withoutAKeyThenUnavailableAndEncryptRefused() {
        TotpSecrets secrets = secrets(null);
        assertThat(secrets.available()).isFalse();
        assertThat(secrets(KEY_A).available()).isTrue();
        assertThatThrownBy(() -> secrets.encrypt("alice", Totp.newSecret())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("latchkey.totp.encryption-key");
    }
}
