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
    void verifiesBcrypt() {
        // The crypt_blowfish / OpenBSD test vector for "U*U".
        String bcrypt = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
        assertThat(hasher.verify("U*U".toCharArray(), bcrypt)).isTrue();
        assertThat(hasher.verify("U*V".toCharArray(), bcrypt)).isFalse();
        assertThat(hasher.verify("U*U".toCharArray(), bcrypt.replace("$2a$", "$2b$"))).isTrue();
    }

    @Test
    void verifyWhenHashMalformedOrUnknownThenFalseNotException() {
        for (String bad : Arrays.asList(null, "", "plain", "$argon2id$v=19$m=x$y$z", "$argon2i$v=19$m=1024,t=2,p=1$c2FsdA$c2FsdA",
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
