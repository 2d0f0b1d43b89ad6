package io.latchkey.model.directory;

import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.store.StoreException;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeoutException;

/**
 * The guard around every PostgreSQL call of the directory: a deadline, so a stopped or paused server fails
 * a login quickly (503 with Retry-After) instead of holding it, and one translation of failures into
 * {@link StoreException}. A constraint violation is not an outage: it passes through for the caller to name.
 */
@ApplicationScoped
public class DirectoryCalls {

    private final LatchkeyConfig config;

    public DirectoryCalls(LatchkeyConfig config) {
        this.config = config;
    }

    public <T> Uni<T> guard(Uni<T> call) {
        return Uni.createFrom().deferred(() -> call)
                .ifNoItem().after(config.directory().timeout())
                .failWith(() -> new TimeoutException("no answer from PostgreSQL within " + config.directory().timeout()))
                .onFailure(f -> !(f instanceof StoreException) && !isConstraintViolation(f))
                .transform(StoreException::directoryUnavailable);
    }

    /** SQLSTATE class 23: the server answered, and refused the data. */
    public static boolean isConstraintViolation(Throwable failure) {
        return failure instanceof PgException pg && pg.getSqlState() != null && pg.getSqlState().startsWith("23");
    }
}
