package io.latchkey.authorize.flow;

import io.latchkey.authorize.login.LoginOptions;
import io.latchkey.authorize.login.SignInPolicy;
import io.latchkey.authorize.par.ParConfig;
import io.latchkey.authorize.request.AuthorizationChecks;
import io.latchkey.authorize.request.RequestParameters;
import io.latchkey.model.audit.AuditEvent;
import io.latchkey.model.audit.AuditEventType;
import io.latchkey.model.audit.AuditTrail;
import io.latchkey.model.authn.Amr;
import io.latchkey.model.domain.AuthorizationRequest;
import io.latchkey.model.domain.ClientRegistration;
import io.latchkey.model.domain.CodeGrant;
import io.latchkey.model.domain.Consent;
import io.latchkey.model.domain.SignInProgress;
import io.latchkey.model.domain.SsoSession;
import io.latchkey.model.domain.User;
import io.latchkey.model.form.Parameters;
import io.latchkey.model.oauth.OAuthError;
import io.latchkey.model.oauth.OAuthException;
import io.latchkey.model.oauth.PrintableText;
import io.latchkey.model.oauth.SpaceDelimited;
import io.latchkey.model.directory.ClientDirectory;
import io.latchkey.model.store.CodeStore;
import io.latchkey.model.directory.ConsentDirectory;
import io.latchkey.model.directory.UserDirectory;
import io.latchkey.model.token.OpaqueToken;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The authorization code flow from a validated request to its answer (steps 2 to 7 of docs/architecture.md): who is
 * signed in, whether they must sign in again, whether they consented, and the code.
 *
 * <p>The silent path (a live session and a remembered consent, e.g. {@code prompt=none}) touches only
 * Redis: it never hashes a password, renders a page or stores the request.
 */
@ApplicationScoped
public class AuthorizationFlow {

    private final ClientDirectory clients;
    private final UserDirectory users;
    private final ConsentDirectory consents;
    private final CodeStore codes;
    private final PendingRequests pending;
    private final AuthorizationResponses responses;
    private final Sessions sessions;
    private final AuditTrail audit;
    private final SignInPolicy policy;
    private final LoginOptions options;
    private final ParConfig par;

    public AuthorizationFlow(ClientDirectory clients, UserDirectory users, ConsentDirectory consents, CodeStore codes,
            PendingRequests pending, AuthorizationResponses responses, Sessions sessions, AuditTrail audit, SignInPolicy policy,
            LoginOptions options, ParConfig par) {
        this.par = par;
        this.policy = policy;
        this.options = options;
        this.sessions = sessions;
        this.audit = audit;
        this.clients = clients;
        this.users = users;
        this.consents = consents;
        this.codes = codes;
        this.pending = pending;
        this.responses = responses;
    }

    /** A validated request, the client that sent it, and where its answer goes. */
    public record Validated(AuthorizationRequest request, ClientRegistration client, ResponseTarget target) {
    }

    /**
     * Validates an authorization request in the order of {@link AuthorizationChecks}. Fails with an
     * {@link OAuthException} (shown on a page) until client and redirect_uri are proven, and with an
     * {@link AuthorizationRedirectException} after.
     */
    public Uni<Validated> validate(RequestParameters incoming, String browserCookie) {
        Parameters params = incoming.values();
        String clientId;
        try {
            clientId = AuthorizationChecks.requireClientId(params);
        } catch (OAuthException e) {
            throw AuthorizationChecks.unproven(params, e);
        }
        return clients.find(clientId).map(found -> {
            ClientRegistration client = found.orElseThrow(() -> AuthorizationChecks.unproven(params, new OAuthException(
                    OAuthError.INVALID_REQUEST, "The client is not registered (unknown client_id).")));
            ResponseTarget target = check(incoming, client);
            AuthorizationRequest request = new AuthorizationRequest(
                    OpaqueToken.randomId(32), client.clientId(), target.redirectUri(), target.responseMode(),
                    AuthorizationChecks.scopes(params), target.state(), params.single("nonce").orElse(null),
                    params.single("code_challenge").orElseThrow(), AuthorizationChecks.prompts(params),
                    params.single("max_age").map(Long::valueOf).orElse(null), params.single("login_hint").orElse(null),
                    SpaceDelimited.split(params.single("ui_locales").orElse(null)),
                    PendingRequests.binding(browserCookie), OpaqueToken.randomId(32), Instant.now().getEpochSecond(), null,
                    AuthorizationChecks.acrValues(params), null, params.single("dpop_jkt").orElse(null));
            return new Validated(request, client, target);
        });
    }

    /**
     * The checks of a request whose client is known, for /authorize and for /par alike (RFC 9126 §2.1: a pushed
     * request is validated as an authorization request is): the redirect_uri (failures on a page), then, by redirect,
     * a contradiction of the pushed request, a client that must push its requests but did not (RFC 9126 §6), and
     * {@link AuthorizationChecks#firstFailure}.
     *
     * @return where the answer goes
     */
    public ResponseTarget check(RequestParameters incoming, ClientRegistration client) {
        Parameters params = incoming.values();
        String redirectUri;
        try {
            redirectUri = AuthorizationChecks.requireRedirectUri(params, client);
        } catch (OAuthException e) {
            throw AuthorizationChecks.unproven(params, e);
        }
        ResponseTarget target = AuthorizationChecks.target(params, redirectUri);
        Optional<OAuthException> failure = Optional.ofNullable(incoming.conflict())
                .map(name -> new OAuthException(OAuthError.INVALID_REQUEST, PrintableText.quoted(name)
                        + " differs from the pushed request: send only client_id and request_uri, or the pushed values."))
                .or(() -> !incoming.pushed() && par.requiredFor(client)
                        ? Optional.of(new OAuthException(OAuthError.INVALID_REQUEST,
                                "This client must push its authorization requests to /par (RFC 9126) and send the request_uri."))
                        : Optional.empty())
                .or(() -> AuthorizationChecks.firstFailure(params, client));
        failure.ifPresent(error -> {
            throw new AuthorizationRedirectException(target, error);
        });
        return target;
    }

    /** The client of a pending request; it may have been removed from the realm since. */
    public Uni<ClientRegistration> clientOf(AuthorizationRequest request) {
        return clients.find(request.clientId()).map(found -> found.orElseThrow(() -> new OAuthException(
                OAuthError.INVALID_REQUEST, "The client is not registered (unknown client_id).")));
    }

    /** Continues a new request with the browser's session, if it has one; {@code clientAddress} bounds storing it. */
    public Uni<Outcome> start(Validated v, String sessionCookie, String clientAddress) {
        return redirectFailures(sessions.current(sessionCookie), v.target())
                .flatMap(session -> proceed(v.request(), v.client(), session, false, false, clientAddress));
    }

    /**
     * A first factor is proven (a password, or a passkey): the next step of the sign-in, or, once the policy is met,
     * the new session and the flow's answer.
     *
     * @param offerPasskey the browser said it can make a passkey and has not declined one lately
     */
    public Uni<Outcome> afterFirstFactor(AuthorizationRequest request, ClientRegistration client, String subject,
            List<String> amr, String previousSession, boolean offerPasskey) {
        Uni<Outcome> outcome = options.of(subject).flatMap(enrolled -> {
            AuthorizationRequest advanced = request.withSignIn(
                    new SignInProgress(subject, amr, Instant.now().getEpochSecond(), enrolled.totp()));
            if (!policy.satisfiedBy(amr, advanced, client, enrolled.totp())) {
                return pending.update(advanced).replaceWith(nextFactor(advanced, client, enrolled));
            }
            if (offerPasskey && enrolled.passkeys() == 0 && amr.contains(Amr.PWD)) {
                return pending.update(advanced).replaceWith(new Outcome.OfferPasskey(advanced, client));
            }
            return complete(advanced, client, previousSession);
        });
        return redirectFailures(outcome, target(request));
    }

    /** A further factor of the sign-in under way is proven; the sign-in ends now, so its time is now. */
    public Uni<Outcome> afterSecondFactor(AuthorizationRequest request, ClientRegistration client, List<String> amr,
            String previousSession) {
        SignInProgress progress = request.signIn();
        AuthorizationRequest advanced = request.withSignIn(new SignInProgress(progress.subject(),
                Amr.combine(progress.amr(), amr), Instant.now().getEpochSecond(), progress.secondFactorEnrolled()));
        return redirectFailures(complete(advanced, client, previousSession), target(request));
    }

    /** The user enrolled a TOTP authenticator during the sign-in: remembered, so that the session says so. */
    public Uni<AuthorizationRequest> enrolledSecondFactor(AuthorizationRequest request) {
        AuthorizationRequest advanced = request.withSignIn(request.signIn().withSecondFactorEnrolled());
        return pending.update(advanced).replaceWith(advanced);
    }

    /**
     * Ends a sign-in: the one place a session is opened. Whatever form led here, a sign-in short of the policy
     * opens nothing (the skip-the-second-step attack posts straight to a later step).
     */
    public Uni<Outcome> complete(AuthorizationRequest request, ClientRegistration client, String previousSession) {
        SignInProgress progress = request.signIn();
        if (progress == null || !policy.satisfiedBy(progress.amr(), request, client, progress.secondFactorEnrolled())) {
            return Uni.createFrom().failure(new OAuthException(OAuthError.INVALID_REQUEST,
                    "The sign-in is not complete. Go back to the application and start again."));
        }
        return users.find(progress.subject()).flatMap(user -> {
            if (user.isEmpty() || !user.get().enabled()) {
                return pending.finish(request).replaceWith(new Outcome.Redirect(responses.error(target(request),
                        OAuthError.ACCESS_DENIED.withDescription("The account is not available."))));
            }
            return sessions.end(previousSession)
                    .flatMap(x -> sessions.open(progress))
                    .flatMap(opened -> proceed(request, client, Optional.of(opened.session()), true, true, null)
                            .map(next -> (Outcome) new Outcome.SignedIn(opened, next)));
        });
    }

    /** The step that proves the missing factor: one the user enrolled, or enrolling one now. */
    private static Outcome nextFactor(AuthorizationRequest request, ClientRegistration client, LoginOptions.Enrolled enrolled) {
        return enrolled.any() ? new Outcome.ShowSecondFactor(request, client, enrolled) : new Outcome.ShowEnrolment(request, client);
    }

    /** Answers the consent page: a denial ends the request with access_denied (RFC 6749 §4.1.2.1). */
    public Uni<Outcome> afterConsent(AuthorizationRequest request, ClientRegistration client, String sessionCookie,
            boolean approved) {
        ResponseTarget target = target(request);
        if (!approved) {
            return fail(request, true, OAuthError.ACCESS_DENIED.withDescription("The user denied the request."));
        }
        Uni<Outcome> outcome = sessions.current(sessionCookie).flatMap(this::withUser).flatMap(signedIn -> {
            // A sign-in during this request satisfies prompt=login and max_age; an older one is checked again,
            // since the consent page may have waited for minutes.
            // A session short of the policy (a password-only sign-in at a client that does not ask for more) cannot
            // consent here: posting to /consent does not skip a second factor.
            if (signedIn.isEmpty() || signedIn.get().session().authTime() < request.createdAt()
                    && reauthenticationRequired(request, signedIn.get().session())
                    || !policy.satisfiedBy(signedIn.get().session().amr(), request, client,
                            signedIn.get().session().secondFactorEnrolled())) {
                return Uni.createFrom().item(new Outcome.ShowLogin(request, client));
            }
            SsoSession s = signedIn.get().session();
            return consents.find(s.subject(), client.clientId())
                    .flatMap(previous -> {
                        Set<String> granted = new HashSet<>(request.scopes());
                        previous.ifPresent(p -> granted.addAll(p.scopes()));
                        return consents.save(new Consent(s.subject(), client.clientId(), granted, Instant.now().getEpochSecond()))
                                .invoke(() -> audit.emit(new AuditEvent(AuditEventType.CONSENT_GIVEN, "user:" + s.subject(),
                                        s.subject(), client.clientId(), Map.of("scopes", new TreeSet<>(granted),
                                                "requested", request.scopes()))));
                    })
                    .flatMap(saved -> issue(request, s, true));
        });
        return redirectFailures(outcome, target);
    }

    /** Someone is signed in: the session and its user, who must still exist and be enabled. */
    private record SignedIn(SsoSession session, User user) {
    }

    private Uni<Outcome> proceed(AuthorizationRequest request, ClientRegistration client, Optional<SsoSession> session,
            boolean stored, boolean freshLogin, String clientAddress) {
        boolean silent = request.prompt().contains("none");
        Uni<Outcome> outcome = withUser(session).flatMap(signedIn -> {
            if (signedIn.isEmpty() || !freshLogin && reauthenticationRequired(request, signedIn.get().session())) {
                if (silent) {
                    return fail(request, stored, OAuthError.LOGIN_REQUIRED.withDescription("The user is not signed in."));
                }
                return store(request, stored, clientAddress).replaceWith(new Outcome.ShowLogin(request, client));
            }
            SignedIn who = signedIn.get();
            if (policy.satisfiedBy(who.session().amr(), request, client, who.session().secondFactorEnrolled())) {
                return continueSignedIn(request, client, who, stored, clientAddress);
            }
            // Short of the policy by what the session remembers; the user's factors may have changed since (an app
            // removed), so the directory decides. Only this rare path asks it: silent renewal of a session that meets
            // the policy touches Redis alone.
            return options.of(who.session().subject()).flatMap(enrolled -> {
                if (policy.satisfiedBy(who.session().amr(), request, client, enrolled.totp())) {
                    return continueSignedIn(request, client, who, stored, clientAddress);
                }
                if (silent) {
                    return fail(request, stored, OAuthError.LOGIN_REQUIRED.withDescription(
                            "The request asks for a stronger sign-in than the user's session."));
                }
                return stepUp(request, client, who.session(), enrolled, stored, clientAddress);
            });
        });
        return redirectFailures(outcome, target(request));
    }

    /**
     * Step-up: the signed-in user proves the factor their session lacks, without typing the password again; the
     * session is replaced by a stronger one when they do.
     */
    private Uni<Outcome> stepUp(AuthorizationRequest request, ClientRegistration client, SsoSession session,
            LoginOptions.Enrolled enrolled, boolean stored, String clientAddress) {
        AuthorizationRequest advanced = request.withSignIn(new SignInProgress(session.subject(), session.amr(),
                session.authTime(), enrolled.totp()));
        Uni<Void> saved = stored ? pending.update(advanced) : store(advanced, false, clientAddress);
        return saved.replaceWith(nextFactor(advanced, client, enrolled));
    }

    /** A session that meets the policy: consent if it is needed, else the code. */
    private Uni<Outcome> continueSignedIn(AuthorizationRequest request, ClientRegistration client, SignedIn who, boolean stored,
            String clientAddress) {
        boolean silent = request.prompt().contains("none");
        return consentRequired(request, client, who.session()).flatMap(required -> {
            if (!required) {
                return issue(request, who.session(), stored);
            }
            if (silent) {
                return fail(request, stored, OAuthError.CONSENT_REQUIRED.withDescription("The user has not consented to this client."));
            }
            return store(request, stored, clientAddress).replaceWith(new Outcome.ShowConsent(request, client, who.user()));
        });
    }

    /** OIDC Core §3.1.2.1: prompt=login and max_age ask for a fresh sign-in. */
    private static boolean reauthenticationRequired(AuthorizationRequest request, SsoSession session) {
        return request.prompt().contains("login") || maxAgeExceeded(request, session);
    }

    /** max_age=0 means "sign in now", like prompt=login, even within the second of the last sign-in. */
    private static boolean maxAgeExceeded(AuthorizationRequest request, SsoSession session) {
        return request.maxAge() != null
                && (request.maxAge() == 0 || Instant.now().getEpochSecond() - session.authTime() > request.maxAge());
    }

    /** First-party clients need no consent; prompt=consent always asks (OIDC Core §3.1.2.1). */
    private Uni<Boolean> consentRequired(AuthorizationRequest request, ClientRegistration client, SsoSession session) {
        if (request.prompt().contains("consent")) {
            return Uni.createFrom().item(true);
        }
        if (client.firstParty()) {
            return Uni.createFrom().item(false);
        }
        return consents.find(session.subject(), client.clientId())
                .map(consent -> consent.map(c -> !c.covers(request.scopes())).orElse(true));
    }

    private Uni<Optional<SignedIn>> withUser(Optional<SsoSession> session) {
        if (session.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return users.find(session.get().subject())
                .map(user -> user.filter(User::enabled).map(u -> new SignedIn(session.get(), u)));
    }

    /** Mints the code (RFC 6749 §4.1.2) and ends the pending request: it cannot be answered twice. */
    private Uni<Outcome> issue(AuthorizationRequest request, SsoSession session, boolean stored) {
        long now = Instant.now().getEpochSecond();
        // RFC 9449 §10: the key named at /authorize is the one the code must be redeemed with.
        CodeGrant grant = new CodeGrant(request.clientId(), request.redirectUri(), request.codeChallenge(), request.scopes(),
                request.nonce(), session.subject(), session.authTime(), session.id(), session.amr(), now, request.dpopJkt());
        return codes.issue(grant)
                .call(code -> stored ? pending.finish(request) : Uni.createFrom().voidItem())
                .map(code -> new Outcome.Redirect(responses.code(target(request), code.value())));
    }

    private Uni<Outcome> fail(AuthorizationRequest request, boolean stored, OAuthException error) {
        Uni<Boolean> finish = stored ? pending.finish(request) : Uni.createFrom().item(false);
        return finish.map(x -> new Outcome.Redirect(responses.error(target(request), error)));
    }

    private Uni<Void> store(AuthorizationRequest request, boolean stored, String clientAddress) {
        return stored ? Uni.createFrom().voidItem() : pending.save(request, clientAddress);
    }

    /** Once the redirect_uri is proven, even Redis failing is answered to the client (RFC 6749 §4.1.2.1). */
    private static <T> Uni<T> redirectFailures(Uni<T> outcome, ResponseTarget target) {
        return outcome.onFailure(f -> !(f instanceof AuthorizationRedirectException))
                .transform(f -> new AuthorizationRedirectException(target, OAuthException.from(f)));
    }

    private static ResponseTarget target(AuthorizationRequest request) {
        return new ResponseTarget(request.redirectUri(), request.responseMode(), request.state());
    }
}
