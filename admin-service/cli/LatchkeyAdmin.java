import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * {@code ./latchkey admin ...}: everyday administration in one line, on top of admin-service's HTTP API (SCIM 2.0,
 * RFC 7591 registration, the sessions, login-options and audit APIs). A single file that the JDK's source launcher runs
 * ({@code java LatchkeyAdmin.java}), so that a machine with Java 17 and bash needs nothing else: no jq, no
 * Python, no build. It gets its own access token by client_credentials at token-service, asking only for the scope
 * the command needs.
 *
 * <p>Settings (environment): LATCHKEY_ADMIN_URL, LATCHKEY_TOKEN_SERVICE_URL, LATCHKEY_ADMIN_CLIENT_ID,
 * LATCHKEY_ADMIN_CLIENT_SECRET; the {@code latchkey} script fills them in for the stack {@code ./latchkey up} runs.
 */
public class LatchkeyAdmin {

    static final String SCIM_JSON = "application/scim+json";
    static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
    static final String PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    static final String USAGE = """
            Usage: ./latchkey admin COMMAND

              users add NAME [--email E] [--password-stdin]   create a user (SCIM); the password, if any, from stdin
              users list [--filter F]                         list users; F is a SCIM filter, e.g. 'userName sw "a"'
              users disable NAME                              disable a user (ends their sessions and tokens)
              users password NAME                             set a password, read from stdin or a hidden prompt
              users login-options NAME                        a user's TOTP authenticator and passkeys
              users reset-login-options NAME                  remove them (TOTP, recovery codes, every passkey) for a
                                                              user who lost a device; the password and sessions stay
              clients add --name N --redirect-uri U [--redirect-uri U2 ...] [--public|--confidential]
                                                              register a client (RFC 7591); confidential by default
              sessions NAME [--end-all]                       a user's sessions and refresh families; or end them all
              consents NAME [--withdraw CLIENT]               a user's remembered consents; or withdraw one (ends that
                                                              client's refresh tokens of the user)
              events [--type T] [--since S] [--limit N]       the audit trail, newest first (S: ISO-8601 instant)

            Environment: LATCHKEY_ADMIN_URL (admin-service), LATCHKEY_TOKEN_SERVICE_URL (token-service),
            LATCHKEY_ADMIN_CLIENT_ID / LATCHKEY_ADMIN_CLIENT_SECRET (a confidential client allowed the admin scopes).
            With ./latchkey up running the demo realm, all four default to that stack and its demo-admin client.
            """;

    /** A failure the user can act on: printed as one line, exit status 1 (2 for a usage error). */
    static final class Failure extends RuntimeException {
        final int status;

        Failure(String message, int status) {
            super(message, null, false, false);
            this.status = status;
        }

        static Failure usage(String message) {
            return new Failure(message + "\n\n" + USAGE, 2);
        }
    }

    public static void main(String[] args) {
        try {
            run(List.of(args));
        } catch (Failure f) {
            System.err.println("latchkey admin: " + f.getMessage());
            System.exit(f.status);
        }
    }

    static void run(List<String> args) {
        if (args.isEmpty() || args.get(0).equals("-h") || args.get(0).equals("--help") || args.get(0).equals("help")) {
            System.out.print(USAGE);
            return;
        }
        Args a = new Args(args);
        String command = a.next("a command");
        switch (command) {
            case "users" -> {
                String sub = a.next("users add|list|disable|password|login-options|reset-login-options");
                switch (sub) {
                    case "add" -> usersAdd(a);
                    case "list" -> usersList(a);
                    case "disable" -> usersDisable(a);
                    case "password" -> usersPassword(a);
                    case "login-options" -> usersLoginOptions(a);
                    case "reset-login-options" -> usersResetLoginOptions(a);
                    default -> throw Failure.usage("unknown command: users " + sub);
                }
            }
            case "clients" -> {
                String sub = a.next("clients add");
                if (!sub.equals("add")) {
                    throw Failure.usage("unknown command: clients " + sub);
                }
                clientsAdd(a);
            }
            case "sessions" -> sessions(a);
            case "consents" -> consents(a);
            case "events" -> events(a);
            default -> throw Failure.usage("unknown command: " + command);
        }
    }

    // ---- commands ----

    static void usersAdd(Args a) {
        String name = a.next("NAME");
        String email = a.option("--email");
        boolean passwordFromStdin = a.flag("--password-stdin");
        a.done();
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("schemas", List.of(USER_SCHEMA));
        user.put("userName", name);
        user.put("active", true);
        if (email != null) {
            user.put("emails", List.of(Map.of("value", email, "primary", true)));
        }
        if (passwordFromStdin) {
            user.put("password", readStdinLine());
        }
        Api api = Api.forScope("scim");
        Map<String, Object> created = Json.object(api.send("POST", "/scim/v2/Users", SCIM_JSON, Json.write(user)));
        System.out.println("Created user " + created.get("userName") + " (id " + created.get("id") + ")"
                + (passwordFromStdin ? " with a password." : "; set a password with: ./latchkey admin users password " + name));
    }

    static void usersList(Args a) {
        String filter = a.option("--filter");
        a.done();
        Api api = Api.forScope("scim");
        List<List<String>> rows = new ArrayList<>();
        int start = 1;
        int total;
        do {
            // RFC 7644 §3.4.2.4: pages by startIndex (1-based) and count.
            String query = "?startIndex=" + start + "&count=100" + (filter == null ? "" : "&filter=" + encode(filter));
            Map<String, Object> page = Json.object(api.send("GET", "/scim/v2/Users" + query, null, null));
            total = Json.integer(page.get("totalResults"));
            List<Object> resources = Json.list(page.get("Resources"));
            for (Object r : resources) {
                Map<String, Object> user = Json.object(r);
                rows.add(List.of(text(user.get("userName")), Boolean.FALSE.equals(user.get("active")) ? "disabled" : "active",
                        primaryEmail(user), text(user.get("id"))));
            }
            if (resources.isEmpty()) {
                break;
            }
            start += resources.size();
        } while (rows.size() < total);
        Table.print(List.of("USERNAME", "STATUS", "EMAIL", "ID"), rows);
        System.out.println(rows.size() + (rows.size() == 1 ? " user" : " users"));
    }

    static void usersDisable(Args a) {
        String name = a.next("NAME");
        a.done();
        Api api = Api.forScope("scim");
        Map<String, Object> user = findUser(api, name);
        patchUser(api, text(user.get("id")), "active", false);
        System.out.println("Disabled " + name + ": they cannot sign in, and their sessions and tokens have ended.");
    }

    static void usersPassword(Args a) {
        String name = a.next("NAME");
        a.done();
        String password = readNewPassword(name);
        Api api = Api.forScope("scim");
        Map<String, Object> user = findUser(api, name);
        patchUser(api, text(user.get("id")), "password", password);
        System.out.println("Password of " + name + " set.");
    }

    static void usersLoginOptions(Args a) {
        String name = a.next("NAME");
        a.done();
        // One scope for both calls: the login options are credentials, governed by scim like the password.
        Api api = Api.forScope("scim");
        String path = "/admin/users/" + encodePath(text(findUser(api, name).get("id"))) + "/login-options";
        Map<String, Object> report = Json.object(api.send("GET", path, null, null));
        Map<String, Object> totp = Json.object(report.get("totp"));
        System.out.println(Boolean.TRUE.equals(totp.get("enrolled"))
                ? "TOTP of " + name + ": enrolled " + text(totp.get("enrolled_at")) + ", "
                        + Json.integer(totp.get("recovery_codes_left")) + " recovery codes left"
                : "TOTP of " + name + ": not enrolled");
        List<List<String>> rows = new ArrayList<>();
        for (Object o : Json.list(report.get("passkeys"))) {
            Map<String, Object> p = Json.object(o);
            rows.add(List.of(text(p.get("id")), text(p.get("name")), text(p.get("created_at")),
                    p.get("last_used_at") == null ? "never" : text(p.get("last_used_at")),
                    Boolean.TRUE.equals(p.get("backup_eligible")) ? "yes" : "no"));
        }
        System.out.println();
        System.out.println("Passkeys of " + name + " (" + rows.size() + "):");
        Table.print(List.of("ID", "NAME", "CREATED", "LAST USED", "SYNCABLE"), rows);
        System.out.println();
        System.out.println("Remove one with DELETE /admin/users/{id}/passkeys/{ID}; all and the TOTP with: ./latchkey admin users "
                + "reset-login-options " + name);
    }

    static void usersResetLoginOptions(Args a) {
        String name = a.next("NAME");
        a.done();
        Api api = Api.forScope("scim");
        String path = "/admin/users/" + encodePath(text(findUser(api, name).get("id"))) + "/login-options";
        api.send("DELETE", path, null, null);
        System.out.println("Reset the login options of " + name + ": their TOTP authenticator, recovery codes and passkeys are removed;"
                + " they sign in with their password and may enrol again. Their sessions continue (end them with:"
                + " ./latchkey admin sessions " + name + " --end-all).");
    }

    static void clientsAdd(Args a) {
        String name = a.option("--name");
        List<String> redirects = a.options("--redirect-uri");
        boolean pub = a.flag("--public");
        boolean confidential = a.flag("--confidential");
        a.done();
        if (name == null || redirects.isEmpty()) {
            throw Failure.usage("clients add needs --name and at least one --redirect-uri");
        }
        if (pub && confidential) {
            throw Failure.usage("a client is --public or --confidential, not both");
        }
        // RFC 7591 §2: a public client authenticates with nothing ("none") and gets no secret.
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("client_name", name);
        metadata.put("redirect_uris", redirects);
        metadata.put("grant_types", List.of("authorization_code", "refresh_token"));
        metadata.put("response_types", List.of("code"));
        metadata.put("token_endpoint_auth_method", pub ? "none" : "client_secret_basic");
        Api api = Api.forScope("clients");
        Map<String, Object> registered = Json.object(api.send("POST", "/register", "application/json", Json.write(metadata)));
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("client_id", text(registered.get("client_id"))));
        rows.add(List.of("type", pub ? "public" : "confidential"));
        rows.add(List.of("redirect_uris", String.join(" ", Json.list(registered.get("redirect_uris")).stream().map(LatchkeyAdmin::text).toList())));
        for (String field : List.of("client_secret", "registration_access_token", "registration_client_uri")) {
            if (registered.get(field) != null) {
                rows.add(List.of(field, text(registered.get(field))));
            }
        }
        System.out.println("Registered " + name + ":");
        Table.print(List.of("FIELD", "VALUE"), rows);
        if (registered.get("client_secret") != null || registered.get("registration_access_token") != null) {
            System.out.println("Store the secret and the registration access token now: they are shown only once.");
        }
    }

    static void sessions(Args a) {
        String name = a.next("NAME");
        boolean endAll = a.flag("--end-all");
        a.done();
        // Two scopes, two tokens: finding the user is SCIM's, its sessions are the sessions API's.
        String userId = text(findUser(Api.forScope("scim"), name).get("id"));
        Api api = Api.forScope("sessions");
        String path = "/admin/users/" + encodePath(userId) + "/sessions";
        if (endAll) {
            Map<String, Object> ended = Json.object(api.send("DELETE", path, null, null));
            System.out.println("Signed " + name + " out everywhere: " + Json.integer(ended.get("ended"))
                    + " sessions and refresh families ended.");
            return;
        }
        Map<String, Object> report = Json.object(api.send("GET", path, null, null));
        List<List<String>> sessions = new ArrayList<>();
        for (Object o : Json.list(report.get("sessions"))) {
            Map<String, Object> s = Json.object(o);
            sessions.add(List.of(shortHandle(s.get("handle")), text(s.get("created_at")), text(s.get("auth_time")),
                    joined(s.get("amr")), text(s.get("idle_expires_at")), text(s.get("expires_at"))));
        }
        System.out.println("SSO sessions of " + name + " (" + sessions.size() + "):");
        Table.print(List.of("HANDLE", "CREATED", "SIGNED IN", "AMR", "IDLE UNTIL", "ENDS"), sessions);
        List<List<String>> families = new ArrayList<>();
        for (Object o : Json.list(report.get("families"))) {
            Map<String, Object> f = Json.object(o);
            families.add(List.of(shortHandle(f.get("handle")), text(f.get("client_id")), joined(f.get("scopes")),
                    text(f.get("created_at")), shortHandle(f.get("session")), text(f.get("expires_at"))));
        }
        System.out.println();
        System.out.println("Refresh families of " + name + " (" + families.size() + "):");
        Table.print(List.of("HANDLE", "CLIENT", "SCOPES", "CREATED", "SESSION", "ENDS"), families);
        System.out.println();
        System.out.println("End one with DELETE " + path + "/{handle} (or /families/{handle}); all with: ./latchkey admin sessions "
                + name + " --end-all");
    }

    static void consents(Args a) {
        String name = a.next("NAME");
        String withdraw = a.option("--withdraw");
        a.done();
        String userId = text(findUser(Api.forScope("scim"), name).get("id"));
        Api api = Api.forScope("sessions");
        String path = "/admin/users/" + encodePath(userId) + "/consents";
        if (withdraw != null) {
            api.send("DELETE", path + "/" + encodePath(withdraw), null, null);
            System.out.println("Withdrew " + name + "'s consent to " + withdraw
                    + ": the consent page comes back, and that client's refresh tokens of " + name + " have ended.");
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (Object o : Json.list(Json.object(api.send("GET", path, null, null)).get("consents"))) {
            Map<String, Object> c = Json.object(o);
            rows.add(List.of(text(c.get("client_id")), joined(c.get("scopes")), text(c.get("granted_at"))));
        }
        System.out.println("Remembered consents of " + name + " (" + rows.size() + "):");
        Table.print(List.of("CLIENT", "SCOPES", "GIVEN"), rows);
    }

    static void events(Args a) {
        String type = a.option("--type");
        String since = a.option("--since");
        String limit = a.option("--limit");
        a.done();
        if (limit != null && !limit.matches("[1-9][0-9]{0,3}")) {
            throw Failure.usage("--limit takes a number from 1 to 9999");
        }
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        if (type != null) {
            query.add("type=" + encode(type));
        }
        if (since != null) {
            query.add("since=" + encode(since));
        }
        if (limit != null) {
            query.add("limit=" + limit);
        }
        Api api = Api.forScope("audit");
        Map<String, Object> page = Json.object(api.send("GET", "/admin/events" + query, null, null));
        List<List<String>> rows = new ArrayList<>();
        for (Object o : Json.list(page.get("events"))) {
            Map<String, Object> e = Json.object(o);
            Object details = e.get("details");
            rows.add(List.of(text(e.get("occurred_at")), text(e.get("type")), text(e.get("actor")), text(e.get("subject")),
                    text(e.get("client_id")), details == null || details instanceof Map<?, ?> m && m.isEmpty() ? "" : Json.write(details)));
        }
        Table.print(List.of("WHEN", "TYPE", "ACTOR", "SUBJECT", "CLIENT", "DETAILS"), rows);
        System.out.println(rows.size() + (rows.size() == 1 ? " event" : " events")
                + (page.get("next") != null ? "; more are older (next: " + text(page.get("next")) + ")" : ""));
    }

    // ---- helpers over the API ----

    /** The one user whose userName is NAME (RFC 7644 §3.4.2.2 filter, eq is case-insensitive for userName). */
    static Map<String, Object> findUser(Api api, String name) {
        String filter = "userName eq \"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        Map<String, Object> page = Json.object(api.send("GET", "/scim/v2/Users?filter=" + encode(filter), null, null));
        List<Object> found = Json.list(page.get("Resources"));
        if (found.isEmpty()) {
            throw new Failure("no user is named " + name + " (list them with: ./latchkey admin users list)", 1);
        }
        return Json.object(found.get(0));
    }

    static void patchUser(Api api, String id, String path, Object value) {
        Map<String, Object> patch = new LinkedHashMap<>();
        patch.put("schemas", List.of(PATCH_SCHEMA));
        patch.put("Operations", List.of(Map.of("op", "replace", "path", path, "value", value)));
        api.send("PATCH", "/scim/v2/Users/" + encodePath(id), SCIM_JSON, Json.write(patch));
    }

    /** A new password: never from the command line, where other users and the shell history would see it. */
    static String readNewPassword(String name) {
        Console console = System.console();
        if (console == null) {
            return readStdinLine();
        }
        char[] first = console.readPassword("New password for %s: ", name);
        char[] again = console.readPassword("Again: ");
        if (first == null || again == null) {
            throw new Failure("no password given", 1);
        }
        if (!Arrays.equals(first, again)) {
            throw new Failure("the two passwords differ; nothing changed", 1);
        }
        String password = new String(first);
        Arrays.fill(first, '\0');
        Arrays.fill(again, '\0');
        if (password.isEmpty()) {
            throw new Failure("an empty password is not a password; nothing changed", 1);
        }
        return password;
    }

    static String readStdinLine() {
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw new Failure("expected the password on standard input, found nothing", 1);
            }
            return line;
        } catch (IOException e) {
            throw new Failure("cannot read standard input: " + e.getMessage(), 1);
        }
    }

    static String primaryEmail(Map<String, Object> user) {
        List<Object> emails = Json.list(user.get("emails"));
        return emails.stream().map(Json::object).filter(e -> Boolean.TRUE.equals(e.get("primary"))).findFirst()
                .or(() -> emails.stream().map(Json::object).findFirst()).map(e -> text(e.get("value"))).orElse("");
    }

    static String shortHandle(Object handle) {
        // Full handles: an operator copies them into a DELETE.
        return handle == null ? "-" : text(handle);
    }

    static String joined(Object list) {
        return String.join(" ", Json.list(list).stream().map(LatchkeyAdmin::text).toList());
    }

    static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            return Long.toString(d.longValue());
        }
        return value.toString();
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String encodePath(String s) {
        return encode(s);
    }

    /** admin-service, called with a token of one scope. */
    static final class Api {
        private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        private final String base;
        private final String token;

        private Api(String base, String token) {
            this.base = base;
            this.token = token;
        }

        static Api forScope(String scope) {
            String admin = stripSlash(setting("LATCHKEY_ADMIN_URL", "http://localhost:8082"));
            String tokenService = stripSlash(setting("LATCHKEY_TOKEN_SERVICE_URL", "http://localhost:8081"));
            String clientId = System.getenv("LATCHKEY_ADMIN_CLIENT_ID");
            String secret = System.getenv("LATCHKEY_ADMIN_CLIENT_SECRET");
            if (clientId == null || clientId.isEmpty() || secret == null || secret.isEmpty()) {
                throw new Failure("set LATCHKEY_ADMIN_CLIENT_ID and LATCHKEY_ADMIN_CLIENT_SECRET to a confidential client "
                        + "allowed the admin scopes (docs/admin/README.md)", 1);
            }
            return new Api(admin, token(tokenService, clientId, secret, scope));
        }

        /** RFC 6749 §4.4: client_credentials, the client authenticating with HTTP Basic (§2.3.1). */
        static String token(String tokenService, String clientId, String secret, String scope) {
            String basic = Base64.getEncoder().encodeToString((encode(clientId) + ":" + encode(secret)).getBytes(StandardCharsets.UTF_8));
            HttpRequest request = HttpRequest.newBuilder(URI.create(tokenService + "/token"))
                    .timeout(Duration.ofSeconds(20))
                    .header("Authorization", "Basic " + basic)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=" + encode(scope)))
                    .build();
            HttpResponse<String> response = exchange(request, "token-service", "LATCHKEY_TOKEN_SERVICE_URL");
            if (response.statusCode() != 200) {
                throw new Failure("token-service refused a token with the scope '" + scope + "' to " + clientId + ": "
                        + problem(response) + " (is the client confidential, allowed client_credentials and that scope?)", 1);
            }
            Object accessToken = Json.object(Json.parse(response.body())).get("access_token");
            if (accessToken == null) {
                throw new Failure("token-service answered without an access_token", 1);
            }
            return accessToken.toString();
        }

        /** Sends a request; a 2xx answer's body (empty for 204), else a Failure with the API's own explanation. */
        Object send(String method, String path, String contentType, String body) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json, " + SCIM_JSON);
            if (body != null) {
                request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> response = exchange(request.build(), "admin-service", "LATCHKEY_ADMIN_URL");
            if (response.statusCode() / 100 != 2) {
                throw new Failure(method + " " + path.replaceAll("\\?.*", "") + ": " + problem(response), 1);
            }
            return response.body().isBlank() ? Map.of() : Json.parse(response.body());
        }

        private static HttpResponse<String> exchange(HttpRequest request, String service, String setting) {
            try {
                return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (ConnectException e) {
                throw new Failure("cannot reach " + service + " at " + request.uri().resolve("/")
                        + " (is ./latchkey up running? elsewhere, set " + setting + "; in Kubernetes, kubectl port-forward)", 1);
            } catch (IOException e) {
                throw new Failure(service + " at " + request.uri().resolve("/") + " failed: " + e, 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Failure("interrupted", 1);
            }
        }

        /** What went wrong, in the words of the API: OAuth's error_description, SCIM's detail, or the status. */
        static String problem(HttpResponse<String> response) {
            String status = "HTTP " + response.statusCode();
            try {
                Map<String, Object> error = Json.object(Json.parse(response.body()));
                if (error.get("detail") != null) {
                    return status + ", " + text(error.get("detail"))
                            + (error.get("scimType") != null ? " (" + text(error.get("scimType")) + ")" : "");
                }
                if (error.get("error") != null) {
                    return status + ", " + text(error.get("error"))
                            + (error.get("error_description") != null ? ": " + text(error.get("error_description")) : "");
                }
            } catch (RuntimeException notJson) {
                // fall through: say what is known
            }
            return status + (response.statusCode() == 404 ? " (is this admin-service, and does it serve this API yet?)" : "");
        }

        private static String setting(String name, String fallback) {
            String value = System.getenv(name);
            return value == null || value.isEmpty() ? fallback : value;
        }

        private static String stripSlash(String url) {
            return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }
    }

    /** The command line after the command words: positionals, options with a value, flags. */
    static final class Args {
        private final List<String> rest;

        Args(List<String> args) {
            this.rest = new ArrayList<>(args);
        }

        String next(String what) {
            for (int i = 0; i < rest.size(); i++) {
                if (!rest.get(i).startsWith("--")) {
                    return rest.remove(i);
                }
                if (takesValue(rest.get(i))) {
                    i++;
                }
            }
            throw Failure.usage("expected " + what);
        }

        String option(String name) {
            List<String> all = options(name);
            if (all.size() > 1) {
                throw Failure.usage(name + " is given more than once");
            }
            return all.isEmpty() ? null : all.get(0);
        }

        List<String> options(String name) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < rest.size(); ) {
                String arg = rest.get(i);
                if (arg.equals(name)) {
                    if (i + 1 >= rest.size()) {
                        throw Failure.usage(name + " needs a value");
                    }
                    rest.remove(i);
                    values.add(rest.remove(i));
                } else if (arg.startsWith(name + "=")) {
                    rest.remove(i);
                    values.add(arg.substring(name.length() + 1));
                } else {
                    i++;
                }
            }
            return values;
        }

        boolean flag(String name) {
            return rest.remove(name);
        }

        void done() {
            if (!rest.isEmpty()) {
                throw Failure.usage("unexpected " + String.join(" ", rest));
            }
        }

        private static boolean takesValue(String option) {
            return List.of("--email", "--filter", "--name", "--redirect-uri", "--type", "--since", "--limit").contains(option);
        }
    }

    /** A plain-text table, columns as wide as their widest cell. */
    static final class Table {
        static void print(List<String> header, List<List<String>> rows) {
            if (rows.isEmpty()) {
                System.out.println("  (none)");
                return;
            }
            int[] widths = new int[header.size()];
            for (int c = 0; c < header.size(); c++) {
                widths[c] = header.get(c).length();
                for (List<String> row : rows) {
                    widths[c] = Math.max(widths[c], row.get(c).length());
                }
            }
            System.out.println(line(header, widths));
            rows.forEach(row -> System.out.println(line(row, widths)));
        }

        private static String line(List<String> cells, int[] widths) {
            StringBuilder out = new StringBuilder();
            for (int c = 0; c < cells.size(); c++) {
                out.append(c == cells.size() - 1 ? cells.get(c) : String.format("%-" + widths[c] + "s  ", cells.get(c)));
            }
            return out.toString().stripTrailing();
        }
    }

    /** Just enough JSON (RFC 8259) for these APIs: objects, arrays, strings, numbers, true, false, null. */
    static final class Json {
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String text) {
            Json p = new Json(text);
            Object value = p.value();
            p.space();
            if (p.i != text.length()) {
                throw new IllegalArgumentException("trailing characters in JSON");
            }
            return value;
        }

        @SuppressWarnings("unchecked")
        static Map<String, Object> object(Object value) {
            if (value instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
            throw new Failure("unexpected answer: expected a JSON object, found " + value, 1);
        }

        @SuppressWarnings("unchecked")
        static List<Object> list(Object value) {
            if (value == null) {
                return List.of();
            }
            if (value instanceof List<?> list) {
                return (List<Object>) list;
            }
            throw new Failure("unexpected answer: expected a JSON array, found " + value, 1);
        }

        static int integer(Object value) {
            return value instanceof Number n ? n.intValue() : 0;
        }

        static String write(Object value) {
            if (value == null) {
                return "null";
            }
            if (value instanceof String str) {
                StringBuilder out = new StringBuilder("\"");
                for (char c : str.toCharArray()) {
                    switch (c) {
                        case '"' -> out.append("\\\"");
                        case '\\' -> out.append("\\\\");
                        case '\n' -> out.append("\\n");
                        case '\r' -> out.append("\\r");
                        case '\t' -> out.append("\\t");
                        default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
                    }
                }
                return out.append('"').toString();
            }
            if (value instanceof Map<?, ?> map) {
                StringJoiner out = new StringJoiner(",", "{", "}");
                map.forEach((k, v) -> out.add(write(k.toString()) + ":" + write(v)));
                return out.toString();
            }
            if (value instanceof List<?> list) {
                StringJoiner out = new StringJoiner(",", "[", "]");
                list.forEach(v -> out.add(write(v)));
                return out.toString();
            }
            return text(value);
        }

        private Object value() {
            space();
            if (i >= s.length()) {
                throw new IllegalArgumentException("unexpected end of JSON");
            }
            char c = s.charAt(i);
            switch (c) {
                case '{' -> {
                    i++;
                    Map<String, Object> map = new LinkedHashMap<>();
                    space();
                    if (peek('}')) {
                        return map;
                    }
                    do {
                        space();
                        String key = string();
                        space();
                        expect(':');
                        map.put(key, value());
                        space();
                    } while (peek(','));
                    expect('}');
                    return map;
                }
                case '[' -> {
                    i++;
                    List<Object> list = new ArrayList<>();
                    space();
                    if (peek(']')) {
                        return list;
                    }
                    do {
                        list.add(value());
                        space();
                    } while (peek(','));
                    expect(']');
                    return list;
                }
                case '"' -> {
                    return string();
                }
                default -> {
                    if (s.startsWith("true", i)) {
                        i += 4;
                        return Boolean.TRUE;
                    }
                    if (s.startsWith("false", i)) {
                        i += 5;
                        return Boolean.FALSE;
                    }
                    if (s.startsWith("null", i)) {
                        i += 4;
                        return null;
                    }
                    int start = i;
                    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                        i++;
                    }
                    if (start == i) {
                        throw new IllegalArgumentException("unexpected character in JSON at " + i);
                    }
                    return Double.parseDouble(s.substring(start, i));
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'b' -> out.append('\b');
                        case 'f' -> out.append('\f');
                        case 'n' -> out.append('\n');
                        case 'r' -> out.append('\r');
                        case 't' -> out.append('\t');
                        case 'u' -> {
                            out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> out.append(e);
                    }
                } else {
                    out.append(c);
                }
            }
            throw new IllegalArgumentException("unterminated JSON string");
        }

        private void space() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private boolean peek(char c) {
            if (i < s.length() && s.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw new IllegalArgumentException("expected '" + c + "' in JSON at " + i);
            }
        }
    }
}
