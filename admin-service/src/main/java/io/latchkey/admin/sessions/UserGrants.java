package io.latchkey.admin.sessions;

import io.latchkey.model.config.LatchkeyConfig;
import io.latchkey.model.directory.UserDirectory;
import io.latchkey.model.domain.CodeGrant;
import io.latchkey.model.domain.SsoSession;
import io.latchkey.model.store.RefreshTokenStore;
import io.latchkey.model.store.SessionStore;
import io.latchkey.model.store.SubjectGrants;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A user's sessions and refresh families as the sessions API sees them: read from the user's index in Redis
 * (SubjectGrants), named by handle, resolved back from a handle only among the user's own.
 */
@ApplicationScoped
public class UserGrants {

    private final UserDirectory users;
    private final SubjectGrants grants;
    private final SessionStore sessions;
    private final RefreshTokenStore families;
    private final Duration sessionMax;

    public UserGrants(UserDirectory users, SubjectGrants grants, SessionStore sessions, RefreshTokenStore families,
            LatchkeyConfig config) {
        this.users = users;
        this.grants = grants;
        this.sessions = sessions;
        this.families = families;
        this.sessionMax = config.lifetimes().sessionMax();
    }

    /** Fails with 404 unless the directory has this user. */
    public Uni<Void> requireUser(String userId) {
        return users.find(userId).invoke(user -> {
            if (user.isEmpty()) {
                throw new NotFoundException("No user has the id " + userId + ".");
            }
        }).replaceWithVoid();
    }

    public Uni<SessionsReport> report(String userId) {
        Uni<List<SessionsReport.Session>> live = grants.sessions(userId).flatMap(ids -> each(ids, id -> sessions.peek(id)
                .map(found -> found.map(this::view))));
        Uni<List<SessionsReport.Family>> started = grants.families(userId).flatMap(ids -> each(ids, id -> families.family(id)
                .map(found -> found.map(UserGrants::view))));
        return Uni.combine().all().unis(live, started).with((s, f) -> new SessionsReport(userId, s, f));
    }

    /** The id of the user's session with this handle; 404 when the user has none of that handle. */
    public Uni<String> session(String userId, String handle) {
        return grants.sessions(userId).map(ids -> GrantHandles.find(ids, handle)
                .orElseThrow(() -> new NotFoundException("The user has no session with this handle.")));
    }

    /** The id of the user's refresh family with this handle; 404 when the user has none of that handle. */
    public Uni<String> family(String userId, String handle) {
        return grants.families(userId).map(ids -> GrantHandles.find(ids, handle)
                .orElseThrow(() -> new NotFoundException("The user has no refresh family with this handle.")));
    }

    /** The ids of the user's live refresh families that were issued to this client. */
    public Uni<List<String>> familiesOf(String userId, String clientId) {
        return grants.families(userId).flatMap(ids -> each(ids, id -> families.family(id)
                .map(found -> found.filter(live -> clientId.equals(live.grant().origin().clientId())).map(live -> id))));
    }

    private static <T> Uni<List<T>> each(List<String> ids, java.util.function.Function<String, Uni<Optional<T>>> read) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Uni.join().all(ids.stream().map(read).toList()).andFailFast()
                .map(found -> found.stream().flatMap(Optional::stream).toList());
    }

    private SessionsReport.Session view(SessionStore.Stored stored) {
        SsoSession session = stored.session();
        Instant created = Instant.ofEpochSecond(session.createdAt());
        return new SessionsReport.Session(GrantHandles.of(session.id()), created.toString(),
                Instant.ofEpochSecond(session.authTime()).toString(), session.amr(),
                Instant.ofEpochMilli(stored.idleExpiresAtMillis()).toString(), created.plus(sessionMax).toString());
    }

    private static SessionsReport.Family view(RefreshTokenStore.LiveFamily live) {
        CodeGrant origin = live.grant().origin();
        return new SessionsReport.Family(GrantHandles.of(live.grant().family()), origin.clientId(), origin.scopes(),
                Instant.ofEpochMilli(live.grant().createdAtMillis()).toString(),
                Instant.ofEpochSecond(origin.authTime()).toString(), origin.amr(),
                Objects.isNull(origin.sessionId()) ? null : GrantHandles.of(origin.sessionId()),
                Instant.ofEpochMilli(live.expiresAtMillis()).toString());
    }
}
