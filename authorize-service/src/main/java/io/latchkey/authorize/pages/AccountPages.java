package io.latchkey.authorize.pages;

import io.latchkey.authorize.account.AccountSessions;
import io.latchkey.authorize.otp.TotpEnrolments;
import io.latchkey.authorize.otp.TotpSecrets;
import io.latchkey.authorize.passkeys.PasskeyRegistrations;
import io.latchkey.model.directory.PasskeyDirectory;
import io.latchkey.model.directory.SecondFactorDirectory;
import io.latchkey.model.directory.UserDirectory;
import io.latchkey.model.domain.User;
import io.latchkey.model.token.OpaqueToken;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The account security pages of a signed-in person. */
@ApplicationScoped
public class AccountPages {

    /** What the security page may say was done; anything else in the query is ignored, never echoed. */
    static final Set<String> NOTICES = Set.of("passkey-added", "passkey-renamed", "passkey-removed", "passkey-missing",
            "totp-removed");

    private final PasskeyPages passkeyPages;
    private final SecondFactorPages secondFactorPages;
    private final PasskeyDirectory passkeys;
    private final SecondFactorDirectory secondFactors;
    private final PasskeyRegistrations registrations;
    private final TotpEnrolments enrolments;
    private final TotpSecrets secrets;
    private final UserDirectory users;

    public AccountPages(PasskeyPages passkeyPages, SecondFactorPages secondFactorPages, PasskeyDirectory passkeys,
            SecondFactorDirectory secondFactors, PasskeyRegistrations registrations, TotpEnrolments enrolments,
            TotpSecrets secrets, UserDirectory users) {
        this.passkeyPages = passkeyPages;
        this.secondFactorPages = secondFactorPages;
        this.passkeys = passkeys;
        this.secondFactors = secondFactors;
        this.registrations = registrations;
        this.enrolments = enrolments;
        this.secrets = secrets;
        this.users = users;
    }

    /** What a pending TOTP enrolment from the account page is stored under: the session. */
    public static String enrolmentOwner(AccountSessions.Account account) {
        return OpaqueToken.sha256("session:" + account.session().id());
    }

    /** @param outcome a word from {@link #NOTICES} (what was done) or a problem word; null for neither */
    public Uni<Response.ResponseBuilder> security(AccountSessions.Account account, String outcome, String acceptLanguage) {
        Locale locale = locale(acceptLanguage);
        String subject = account.subject();
        String notice = outcome != null && NOTICES.contains(outcome) ? outcome : null;
        String problem = outcome != null && notice == null && Set.of("passkey-refused", "code-refused").contains(outcome)
                ? outcome : null;
        return Uni.combine().all().unis(passkeys.list(subject), secondFactors.findTotp(subject),
                        secondFactors.recoveryCodesLeft(subject), registrations.options(subject, account.session().id()))
                .asTuple()
                .map(t -> passkeyPages.security(account.csrfToken(), t.getItem1(), t.getItem4().orElse(null), secrets.available(),
                        t.getItem2().isPresent(), t.getItem3(), problem, notice, locale));
    }

    /** The QR code of a new authenticator for this person, confirmed at {@code /account/totp/confirm}. */
    public Uni<Response.ResponseBuilder> totpEnrolment(AccountSessions.Account account, String problem, String acceptLanguage) {
        String subject = account.subject();
        return Uni.combine().all().unis(enrolments.begin(enrolmentOwner(account), subject), users.find(subject)).asTuple()
                .map(t -> secondFactorPages.totpEnrol("/account/totp/confirm", Map.of("csrf_token", account.csrfToken()),
                        t.getItem2().map(User::username).orElse(subject), t.getItem1(), locale(acceptLanguage), false,
                        problem != null));
    }

    /** New recovery codes, shown once; continuing goes back to the security page. */
    public Response.ResponseBuilder recoveryCodes(AccountSessions.Account account, List<String> codes, String acceptLanguage) {
        return secondFactorPages.recoveryCodes(codes, "/account/security", Map.of(), locale(acceptLanguage));
    }

    private static Locale locale(String acceptLanguage) {
        return Locales.choose(List.of(), acceptLanguage);
    }
}
