// One place for the client's settings: the provider comes from /config.json, the URLs from this origin.
import { UserManager, WebStorageStateStore } from "oidc-client-ts";

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
    loadUserInfo: true, // profile claims come from /userinfo, not the ID token
    // The library drops acr and amr from the profile by default; the page shows how the person signed in.
    filterProtocolClaims: ["nbf", "jti", "auth_time", "nonce", "azp", "at_hash"],
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });
}
