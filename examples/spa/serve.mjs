// Serves dist/ on its own origin (so the calls to token-service are real cross-origin requests) and
// /config.json with the provider's settings. No dependencies: Node's http module only.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";

const port = Number(process.env.SPA_PORT || 5173);
const config = {
  authority: process.env.LATCHKEY_ISSUER || "http://localhost:8080",
  client_id: process.env.SPA_CLIENT_ID || "demo-spa",
};
const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".map": "application/json", ".css": "text/css" };
const root = new URL("./dist/", import.meta.url).pathname;

createServer(async (req, res) => {
  const path = new URL(req.url, "http://localhost").pathname;
  if (path === "/config.json") {
    res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" });
    return res.end(JSON.stringify(config));
  }
  const file = normalize(join(root, path === "/" ? "index.html" : path));
  if (!file.startsWith(root)) {
    res.writeHead(404);
    return res.end();
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, { "Content-Type": types[extname(file)] || "application/octet-stream", "Cache-Control": "no-store" });
    res.end(body);
  } catch {
    res.writeHead(404, { "Content-Type": "text/plain" });
    res.end("not found");
  }
}).listen(port, "127.0.0.1", () => console.log(`demo SPA on http://localhost:${port}/ (issuer ${config.authority})`));
