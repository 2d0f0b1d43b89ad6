package io.latchkey.model.directory;

import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.store.CallGuard;
import io.latchkey.model.store.StoreException;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The guard around every PostgreSQL call of the directory ({@link CallGuard}): the deadline
 * {@code latchkey.directory.timeout}, so a stopped or paused server fails a login quickly (503 with Retry-After),
 * failures as {@link StoreException#directoryUnavailable}, timed as {@code latchkey_directory_calls_seconds}. A
 * constraint violation is not an outage: it passes through for the caller to name.
 */
@ApplicationScoped
public class DirectoryCalls {

    private final CallGuard guard;

    public DirectoryCalls(LatchkeyConfig config) {
        this.guard = new CallGuard("directory", "PostgreSQL calls of the directory, from sending to answer or deadline",
                () -> config.directory().timeout(), StoreException::directoryUnavailable, DirectoryCalls::isConstraintViolation);
    }

    public <T> Uni<T> guard(Uni<T> call) {
        return guard.guard(call);
    }

    /** SQLSTATE class 23: the server answered, and refused the data. */
    public static boolean isConstraintViolation(Throwable failure) {
        return failure instanceof PgException pg && pg.getSqlState() != null && pg.getSqlState().startsWith("23");
    }
}
