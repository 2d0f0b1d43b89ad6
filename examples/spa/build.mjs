// Bundles the app with oidc-client-ts into dist/, beside the static pages.
import { build } from "esbuild";
import { cpSync, mkdirSync, rmSync } from "node:fs";

rmSync("dist", { recursive: true, force: true });
mkdirSync("dist");
cpSync("public", "dist", { recursive: true });
await build({
  entryPoints: ["src/app.js", "src/callback.js", "src/silent-renew.js"],
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  sourcemap: true,
  outdir: "dist",
});
console.log("demo SPA built into examples/spa/dist");
