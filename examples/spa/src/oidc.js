// One place for the client's settings: the provider comes from /config.json, the URLs from this origin.
import { IndexedDbDPoPStore, UserManager, WebStorageStateStore } from "oidc-client-ts";

export async function userManager() {
  const config = await (await fetch("/config.json")).json();
  const origin = window.location.origin;
  return new UserManager({
    authority: config.authority,
    client_id: config.client_id,
    redirect_uri: `${origin}/callback.html`,
    silent_redirect_uri: `${origin}/silent-renew.html`,
    post_logout_redirect_uri: `${origin}/`,
    response_type: "code", // authorization code; oidc-client-ts always adds PKCE S256
    scope: "openid profile email offline_access",
    automaticSilentRenew: false,
    // DPoP (RFC 9449): the library makes a non-extractable P-256 key, kept in IndexedDB, signs a proof for every
    // token request and answers use_dpop_nonce; bind_authorization_code sends dpop_jkt at /authorize (§10) so the
    // code too is bound to this key. The tokens it gets are useless to whoever reads them without the key.
    dpop: { store: new IndexedDbDPoPStore(), bind_authorization_code: true },
    // The library would call /userinfo with "Bearer", which a DPoP-bound token is refused under: loadProfile
    // below calls it with a proof instead.
    loadUserInfo: false,
    // The library drops acr and amr from the profile by default; the page shows how the person signed in.
    filterProtocolClaims: ["nbf", "jti", "auth_time", "nonce", "azp", "at_hash"],
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });
}

/**
 * GET /userinfo with the DPoP-bound access token: `Authorization: DPoP <token>` and a proof for this URL and method
 * carrying the token's hash (`ath`, RFC 9449 §7.1). A resource server may ask for a nonce (§9): one retry with it.
 */
export async function fetchUserinfo(manager, user) {
  const url = (await manager.metadataService.getMetadata()).userinfo_endpoint;
  const dpop = user.token_type?.toLowerCase() === "dpop";
  const call = async (nonce) => fetch(url, {
    headers: dpop
      ? { Authorization: `DPoP ${user.access_token}`, DPoP: await manager.dpopProof(url, user, "GET", nonce) }
      : { Authorization: `Bearer ${user.access_token}` },
  });
  let response = await call();
  const nonce = response.headers.get("DPoP-Nonce");
  if (response.status === 401 && nonce && /use_dpop_nonce/.test(response.headers.get("WWW-Authenticate") ?? "")) {
    response = await call(nonce);
  }
  if (!response.ok) {
    const challenge = response.headers.get("WWW-Authenticate");
    throw new Error(`HTTP ${response.status}${challenge ? ` (${challenge})` : ""}`);
  }
  return response.json();
}

/** The profile claims (name, email) come from /userinfo, not the ID token: merged into the stored user after every sign-in or renewal. */
export async function loadProfile(manager, user) {
  const claims = await fetchUserinfo(manager, user);
  // OIDC Core §5.3.2: the UserInfo sub must be the ID token's.
  if (claims.sub !== user.profile.sub) throw new Error("the /userinfo sub is not the ID token's");
  user.profile = { ...user.profile, ...claims };
  await manager.storeUser(user);
  return user;
}

/** The access token's claims (it is a JWT, RFC 9068): the page shows its cnf.jkt, the thumbprint of the key it is bound to. */
export function accessTokenClaims(token) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(part.padEnd(part.length + ((4 - (part.length % 4)) % 4), "=")), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return {};
  }
}

/** The RFC 7638 thumbprint of this browser's DPoP key, or "" when it holds none (the library removes it at sign-out). */
export async function browserKeyThumbprint(manager) {
  const dpop = manager.settings.dpop;
  if (!dpop || !(await dpop.store.get(manager.settings.client_id))) return "";
  return manager.generateDPoPJkt(dpop);
}
