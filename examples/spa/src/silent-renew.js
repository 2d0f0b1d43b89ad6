import { userManager } from "./oidc.js";

const manager = await userManager();
await manager.signinSilentCallback();
