import { accessTokenClaims, browserKeyThumbprint, fetchUserinfo, loadProfile, userManager } from "./oidc.js";

const $ = (id) => document.getElementById(id);
const show = (id, value) => { $(id).textContent = typeof value === "string" ? value : JSON.stringify(value, null, 2); };

const manager = await userManager();
// The provider's own page, where the signed-in person manages their passkeys and authenticator app.
$("security-settings").href = `${manager.settings.authority.replace(/\/$/, "")}/account/security`;

async function render() {
  const user = await manager.getUser();
  const signedIn = user && !user.expired;
  const key = signedIn ? await browserKeyThumbprint(manager) : "";
  $("signed-out").hidden = signedIn;
  $("signed-in").hidden = !signedIn;
  $("multi-factor").hidden = false;
  show("status", signedIn ? `Signed in as ${user.profile.name || user.profile.sub}` : "Signed out");
  if (signedIn) {
    show("claims", user.profile);
    // From the ID token (RFC 8176 methods; the provider's class): how this sign-in was made.
    show("amr", [].concat(user.profile.amr ?? []).join(" "));
    show("acr", user.profile.acr ?? "");
    show("expires", new Date(user.expires_at * 1000).toISOString());
    // DPoP (RFC 9449): the token type, the key thumbprint the access token is bound to (cnf.jkt, §6.1), and this
    // browser's own key, which must be the same.
    show("token-type", user.token_type ?? "");
    const jkt = accessTokenClaims(user.access_token).cnf?.jkt ?? "";
    show("cnf-jkt", jkt || "none (not sender-constrained)");
    show("dpop-key", key || "none");
    show("key-match", jkt && jkt === key ? "yes" : "no");
    $("refresh-token").textContent = user.refresh_token ? "yes" : "no";
  }
}

async function act(label, action) {
  show("error", "");
  try {
    await action();
  } catch (e) {
    show("error", `${label} failed: ${e.message}`);
  }
  await render();
}

$("sign-in").onclick = () => act("Sign-in", () => manager.signinRedirect());
// Step-up (OIDC Core §3.1.2.1 acr_values): the provider asks for a passkey or a second factor, even if a
// password-only session exists; prompt=login makes the person sign in now rather than reuse it.
$("sign-in-passkey").onclick = () => act("Sign-in", () => manager.signinRedirect({
  acr_values: "urn:latchkey:acr:multi-factor",
  prompt: "login",
}));
$("sign-out").onclick = () => act("Sign-out", () => manager.signoutRedirect());
$("userinfo").onclick = () => act("userinfo", async () => {
  // A real cross-origin call (token-service answers only origins that a client registered), with a DPoP proof.
  show("userinfo-result", await fetchUserinfo(manager, await manager.getUser()));
});
$("renew-refresh").onclick = () => act("Renewal", async () => {
  // Uses the refresh token when there is one; a public client's DPoP-bound refresh token needs this browser's key.
  const user = await loadProfile(manager, await manager.signinSilent());
  show("renewed", `refresh token, ${new Date().toISOString()}, new access token ends …${user.access_token.slice(-8)}`);
});
$("renew-session").onclick = () => act("Renewal", async () => {
  // prompt=none in a hidden iframe: works while the SSO session lives, without any page.
  const user = await manager.getUser();
  user.refresh_token = undefined;
  await manager.storeUser(user);
  const renewed = await loadProfile(manager, await manager.signinSilent());
  show("renewed", `SSO session, ${new Date().toISOString()}, new access token ends …${renewed.access_token.slice(-8)}`);
});

await render();
