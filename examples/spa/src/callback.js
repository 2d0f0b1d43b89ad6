import { loadProfile, userManager } from "./oidc.js";

const manager = await userManager();
try {
  await loadProfile(manager, await manager.signinRedirectCallback());
  window.location.replace("/");
} catch (e) {
  document.getElementById("error").textContent = `Sign-in failed: ${e.message}`;
}
