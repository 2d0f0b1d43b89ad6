package io.latchkey.authorize;

import io.latchkey.model.password.PasswordHasher;
import io.quarkus.test.Mock;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;

/** The real hasher, counting its work, so tests can prove a path never hashes a password. */
@Mock
@ApplicationScoped
public class CountingPasswordHasher extends PasswordHasher {

    // Static: one count for the bean and the client proxy CDI makes by subclassing it.
    static final AtomicInteger CHECKS = new AtomicInteger();

    @Override
    public boolean verify(char[] password, String storedHash) {
        CHECKS.incrementAndGet();
        return super.verify(password, storedHash);
    }

    @Override
    public boolean verifyAgainstNobody(char[] password) {
        CHECKS.incrementAndGet();
        return super.verifyAgainstNobody(password);
    }

    @Override
    public String hash(char[] password) {
        CHECKS.incrementAndGet();
        return super.hash(password);
    }
}
