package io.latchkey.model.password;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher();

    @Test
    void hashIsArgon2idWithOwaspParametersInPhcFormat() {
        String hash = hasher.hash("correct horse".toCharArray());
        assertThat(hash).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(hasher.verify("correct horse".toCharArray(), hash)).isTrue();
        assertThat(hasher.verify("correct horsE".toCharArray(), hash)).isFalse();
        assertThat(hasher.needsRehash(hash)).isFalse();
    }

    @Test
    void theDecoyCostsWhatARealHashCosts() {
        // Same type, version, memory, iterations, parallelism and lengths as a hash made today.
        assertThat(hasher.needsRehash(PasswordHasher.DECOY)).isFalse();
        assertThat(hasher.verifyAgainstNobody("decoy password, never matches".toCharArray())).isFalse();
    }

    @Test
    void passwordThreadsReuseTheirArgon2MemoryAndStillHashCorrectly() throws Exception {
        PasswordWorkers workers = new PasswordWorkers(1, 4);
        try {
            String first = workers.run(() -> hasher.hash("correct horse".toCharArray())).await().indefinitely();
            // Checked on the same thread, whose pool now holds the first call's (cleared) blocks, and elsewhere.
            assertThat(workers.run(() -> hasher.verify("correct horse".toCharArray(), first)).await().indefinitely()).isTrue();
            assertThat(workers.run(() -> hasher.verify("correct horsE".toCharArray(), first)).await().indefinitely()).isFalse();
            assertThat(hasher.verify("correct horse".toCharArray(), first)).isTrue();
            String reference = "$argon2id$v=19$m=1024,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$MO33cCFnqSA8SskhR8/i5r/vajJ3mDxwI/Myoh5GZwk";
            assertThat(workers.run(() -> hasher.verify("correct horse".toCharArray(), reference)).await().indefinitely()).isTrue();
            // A thread that hashed allocates (almost) nothing for the next hash: the blocks come from its pool.
            long allocated = workers.run(() -> {
                var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
                long before = threads.getCurrentThreadAllocatedBytes();
                hasher.hash("another".toCharArray());
                return threads.getCurrentThreadAllocatedBytes() - before;
            }).await().indefinitely();
            assertThat(allocated).isLessThan(1024 * 1024);
        } finally {
            workers.stop();
        }
    }

    @Test
    void twoHashesOfOnePasswordDifferBySalt() {
        assertThat(hasher.hash("x".toCharArray())).isNotEqualTo(hasher.hash("x".toCharArray()));
    }

    @Test
    void verifiesArgon2idFromTheReferenceImplementation() {
        // echo -n "correct horse" | argon2 saltsaltsaltsalt -id -t 2 -m 10 -p 1 -e   (Debian's argon2 CLI)
        String reference = "$argon2id$v=19$m=1024,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$MO33cCFnqSA8SskhR8/i5r/vajJ3mDxwI/Myoh5GZwk";
        assertThat(hasher.verify("correct horse".toCharArray(), reference)).isTrue();
        assertThat(hasher.verify("wrong horse".toCharArray(), reference)).isFalse();
        assertThat(hasher.needsRehash(reference)).isTrue();
    }

    @Test
    void verifiesPbkdf2InPhcAndPasslibFormats() {
        // Made with Python's hashlib.pbkdf2_hmac, an independent implementation.
        String phc = "$pbkdf2-sha256$i=600000,l=32$c2FsdHNhbHRzYWx0c2FsdA$crqBzssGZtxY13DCV5Ivn1XR8kgjx1jj7W3jy8f66Hk";
        String passlib = "$pbkdf2-sha256$29000$./7/./7/./7/./7/./7/./7/$oEsni1eYZffk5oReTxBSXmaiGXfFZH6jKETRaICrwPQ";
        assertThat(hasher.verify("correct horse".toCharArray(), phc)).isTrue();
        assertThat(hasher.verify("correct horse".toCharArray(), passlib)).isTrue();
        assertThat(hasher.verify("correct hors".toCharArray(), phc)).isFalse();
        assertThat(hasher.verify("correct hors".toCharArray(), passlib)).isFalse();
        assertThat(hasher.needsRehash(phc)).isTrue();
    }

    @Test
    void verifiesPbkdf2Sha512AndSha1WithTheKeyLengthOfTheStoredHash() {
        // Python's hashlib.pbkdf2_hmac with a 64-byte key: Keycloak's pbkdf2-sha512 length and 2025 iteration count.
        String sha512 = "$pbkdf2-sha512$i=210000,l=64$c2FsdHNhbHRzYWx0c2FsdA$1iOjR8IAQW3eKU6kg+9NJqRsHHaLsIWjXnVcuC2+obbnDSpO2xFWnB3XyncU5v+/55lJT6he5wlCCevDGdExgA";
        String sha1 = "$pbkdf2-sha1$i=1300000,l=64$c2FsdHNhbHRzYWx0c2FsdA$SGFIDb8iClm07ya/LlXCwEt7ctKoJvVnBIKAJw8pZzQoh6tZXijH52YL813muy0gtf1uzQMaafPhiXSdsr39Cw";
        assertThat(hasher.verify("correct horse".toCharArray(), sha512)).isTrue();
        assertThat(hasher.verify("correct horse".toCharArray(), sha1)).isTrue();
        assertThat(hasher.verify("correct horsf".toCharArray(), sha512)).isFalse();
        assertThat(hasher.needsRehash(sha512)).isTrue();
        // Without l the length is the stored hash's; an l that disagrees with it never matches.
        assertThat(hasher.verify("correct horse".toCharArray(), sha512.replace(",l=64", ""))).isTrue();
        assertThat(hasher.verify("correct horse".toCharArray(), sha512.replace(",l=64", ",l=32"))).isFalse();
    }

    @Test
    void verifiesArgon2iAndArgon2dVersion10AsKeycloakWritesThem() {
        // From keycloak/acme-realm-export.json (Keycloak 26.5.6 with --spi-password-hashing--argon2--type=i, and
        // type=d with version=1.0), converted by KeycloakExport; BouncyCastle's reference-checked Argon2.
        String argon2i = "$argon2i$v=19$m=7168,t=5,p=1$ud8ttQX0K1eE3iyzsd1TOg$A5diMCWX3cKP0AY8Prq4VE0gRNYQAI3fbyYamlRytuU";
        String argon2d = "$argon2d$v=16$m=7168,t=5,p=1$cpz0wQpvSVZFBRhyDycZWw$l7NnQlsUlcmVzba4gk9t2gkmDbmPSuPryFLAtt0v3vU";
        assertThat(hasher.verify("Lee-Chen-argon2i".toCharArray(), argon2i)).isTrue();
        assertThat(hasher.verify("Mo-Haddad-argon2d".toCharArray(), argon2d)).isTrue();
        assertThat(hasher.verify("Lee-Chen-argon2d".toCharArray(), argon2i)).isFalse();
        // The type and the version are part of the hash: the same salt and output under another one never match.
        assertThat(hasher.verify("Lee-Chen-argon2i".toCharArray(), argon2i.replace("$argon2i$", "$argon2id$"))).isFalse();
        assertThat(hasher.verify("Mo-Haddad-argon2d".toCharArray(), argon2d.replace("$v=16$", "$v=19$"))).isFalse();
        assertThat(PasswordHasher.isHash(argon2i)).isTrue();
        assertThat(PasswordHasher.isHash(argon2d)).isTrue();
        assertThat(hasher.needsRehash(argon2i)).isTrue();
        assertThat(hasher.needsRehash(argon2d)).isTrue();
    }

    @Test
    void needsRehashWhenNotArgon2idWithCurrentParametersAndLength() {
        String current = hasher.hash("pw".toCharArray());
        assertThat(hasher.needsRehash(current)).isFalse();
        String[] parts = current.split("\\$");
        assertThat(hasher.needsRehash(current.replace("$argon2id$", "$argon2i$"))).isTrue();
        assertThat(hasher.needsRehash(current.replace("$v=19$", "$v=16$"))).isTrue();
        assertThat(hasher.needsRehash(current.replace("m=19456,t=2,p=1", "m=19456,t=3,p=1"))).isTrue();
        // Keycloak 26's Argon2id defaults.
        assertThat(hasher.needsRehash(current.replace("m=19456,t=2,p=1", "m=7168,t=5,p=1"))).isTrue();
        // Current parameters but a 64-byte output.
        String longer = "$argon2id$v=19$m=19456,t=2,p=1$" + parts[4] + "$"
                + java.util.Base64.getEncoder().withoutPadding().encodeToString(new byte[64]);
        assertThat(hasher.needsRehash(longer)).isTrue();
        assertThat(hasher.needsRehash(null)).isTrue();
        assertThat(hasher.needsRehash("$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW")).isTrue();
    }

    @Test
    void verifiesBcrypt() {
        // The crypt_blowfish / OpenBSD test vector for "U*U".
        String bcrypt = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
        assertThat(hasher.verify("U*U".toCharArray(), bcrypt)).isTrue();
        assertThat(hasher.verify("U*V".toCharArray(), bcrypt)).isFalse();
        assertThat(hasher.verify("U*U".toCharArray(), bcrypt.replace("$2a$", "$2b$"))).isTrue();
    }

    @Test
    void verifyWhenHashMalformedOrUnknownThenFalseNotException() {
        for (String bad : Arrays.asList(null, "", "plain", "$argon2id$v=19$m=x$y$z", "$argon2x$v=19$m=1024,t=2,p=1$c2FsdA$c2FsdA",
                "$argon2i$v=18$m=1024,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$c2FsdHNhbHRzYWx0c2FsdA",
                "$argon2d$v=19$m=0,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$c2FsdHNhbHRzYWx0c2FsdA",
                "$pbkdf2-md5$1000$c2FsdA$c2FsdA", "$pbkdf2-sha256$i=notanumber$c2FsdA$c2FsdA", "$2a$05$short")) {
            assertThat(hasher.verify("pw".toCharArray(), bad)).as(String.valueOf(bad)).isFalse();
        }
    }

    @Test
    void unknownUserCheckTakesAsLongAsWrongPasswordCheck() {
        String stored = hasher.hash("the real one".toCharArray());
        char[] guess = "a guess".toCharArray();
        for (int i = 0; i < 5; i++) { // warm up the JIT on both paths
            hasher.verify(guess, stored);
            hasher.verifyAgainstNobody(guess);
        }
        // The two checks take turns and are timed on this thread's CPU clock, so neither the JIT finishing a
        // compilation nor another process taking the CPU moves one side only. Equal work is equal time.
        long[] wrongPassword = new long[11];
        long[] unknownUser = new long[11];
        for (int i = 0; i < wrongPassword.length; i++) {
            wrongPassword[i] = nanos(() -> hasher.verify(guess, stored));
            unknownUser[i] = nanos(() -> hasher.verifyAgainstNobody(guess));
        }
        double ratio = (double) median(unknownUser) / median(wrongPassword);
        assertThat(ratio).as("unknown-user time / wrong-password time").isBetween(0.7, 1.4);
    }

    private static long nanos(Runnable check) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        check.run();
        return threads.getCurrentThreadCpuTime() - start;
    }

    private static long median(long[] samples) {
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
