// node-oidc-provider with the benchmark realm, for the bench's comparison (bench/README.md).
//
//   node server.mjs --port N [--realm ../realm/keycloak-bench-realm.json]
//
// The realm is read from Keycloak's realm file (the same clients, users and lifetimes as the other two
// providers); the login and consent "interaction" is a plain HTML form that the bench's browserless
// user agent fills in, and consent is granted by the login itself (the realm's clients have no consent page).
// Stateful data lives in the library's own in-memory adapter, given a larger store (see `store` below).
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

import argon2 from 'argon2';
import * as jose from 'jose';
import Provider from 'oidc-provider';
// The library's default adapter, imported to be constructed with a store of our own (ExpiringMap below).
import MemoryAdapter from 'oidc-provider/lib/adapters/memory_adapter.js';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '3000' },
    realm: { type: 'string', default: new URL('../realm/keycloak-bench-realm.json', import.meta.url).pathname },
  },
});
const port = Number(args.port);
const issuer = `http://127.0.0.1:${port}`;
const realm = JSON.parse(readFileSync(args.realm, 'utf8'));

// Latchkey's and Keycloak's password cost in the bench: Argon2id, 19 MiB, 2 iterations, parallelism 1.
const ARGON2 = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1, hashLength: 32 };

// The realm file holds plain passwords (Keycloak hashes them at import). Each distinct one is hashed once at
// start-up, as Latchkey's realm gives one hash for every user.
const hashes = new Map();
const users = new Map(); // by username
const accounts = new Map(); // by subject
for (const u of realm.users ?? []) {
  const password = u.credentials?.find((c) => c.type === 'password')?.value;
  if (!u.enabled || password === undefined) continue;
  if (!hashes.has(password)) hashes.set(password, await argon2.hash(password, ARGON2));
  const user = {
    id: u.id,
    username: u.username,
    hash: hashes.get(password),
    claims: {
      sub: u.id,
      preferred_username: u.username,
      name: [u.firstName, u.lastName].filter(Boolean).join(' '),
      given_name: u.firstName,
      family_name: u.lastName,
      email: u.email,
      email_verified: u.emailVerified === true,
    },
  };
  users.set(u.username, user);
  accounts.set(u.id, user);
}

// The access tokens are JWTs for this one resource, as Latchkey's and Keycloak's are; without resource
// indicators node-oidc-provider issues opaque access tokens, which it stores and does not sign.
const RESOURCE = `${issuer}/bench-api`;

const clients = [];
const es256 = new Set();
for (const c of realm.clients ?? []) {
  if (!c.clientId.startsWith('bench-') || !c.enabled) continue;
  const alg = c.attributes?.['id.token.signed.response.alg'] ?? c.attributes?.['access.token.signed.response.alg'] ?? 'RS256';
  if (alg === 'ES256') es256.add(c.clientId);
  if (c.publicClient) {
    clients.push({
      client_id: c.clientId,
      token_endpoint_auth_method: 'none',
      redirect_uris: c.redirectUris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      id_token_signed_response_alg: alg,
    });
  } else {
    clients.push({
      client_id: c.clientId,
      client_secret: c.secret,
      token_endpoint_auth_method: 'client_secret_basic',
      redirect_uris: [],
      grant_types: ['client_credentials'],
      response_types: [],
      scope: (c.defaultClientScopes ?? []).filter((s) => s !== 'basic').join(' '),
    });
  }
}

// Signing keys are made at each start, as Keycloak's dev mode makes them for a fresh database.
async function jwk(alg, options) {
  const { privateKey } = await jose.generateKeyPair(alg, { extractable: true, ...options });
  return { ...(await jose.exportJWK(privateKey)), kid: `bench-${alg.toLowerCase()}`, alg, use: 'sig' };
}
const jwks = { keys: [await jwk('RS256', { modulusLength: 2048 }), await jwk('ES256')] };

// The store of the in-memory adapter. The library's own is an LRU of 1,000 entries (a quick-start limit), fewer than
// the codes, sessions and grants one scenario keeps alive, and it drops an expired entry only when it is read. This
// one has no size limit and sweeps expired entries every second, as Redis expires Latchkey's keys and Keycloak's
// caches theirs; the sweep's CPU is the server's.
class ExpiringMap {
  #entries = new Map();

  constructor(sweepMillis) {
    setInterval(() => this.#sweep(), sweepMillis).unref();
  }

  get(key) {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiry !== undefined && entry.expiry <= Date.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key, value, { maxAge } = {}) {
    const expiry = typeof maxAge === 'number' && Number.isFinite(maxAge) ? Date.now() + maxAge : undefined;
    this.#entries.set(key, { value, expiry });
    return this;
  }

  delete(key) {
    return this.#entries.delete(key);
  }

  #sweep() {
    const now = Date.now();
    for (const [key, entry] of this.#entries) {
      if (entry.expiry !== undefined && entry.expiry <= now) this.#entries.delete(key);
    }
  }
}
const store = new ExpiringMap(1000);

const configuration = {
  adapter: (model) => new MemoryAdapter(model, store),
  clients,
  jwks,
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  claims: {
    openid: ['sub'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username'],
    email: ['email', 'email_verified'],
  },
  scopes: ['openid', 'offline_access', 'profile', 'email'],
  async findAccount(ctx, sub) {
    const user = accounts.get(sub);
    return user && { accountId: sub, claims: async () => user.claims };
  },
  // The realm's public clients get a refresh token with scope=openid, as from the other two: rotated at each
  // use (the library's default for a public client's token that is not bound to a DPoP key).
  issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    dPoP: { enabled: true },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async () => RESOURCE,
      useGrantedResource: async () => true,
      getResourceServerInfo: async (ctx, resource, client) => {
        if (resource !== RESOURCE) throw new Provider.errors.InvalidTarget();
        return {
          scope: 'profile email',
          audience: RESOURCE,
          accessTokenTTL: realm.accessTokenLifespan,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: es256.has(client.clientId) ? 'ES256' : 'RS256' } },
        };
      },
    },
  },
  ttl: {
    AuthorizationCode: realm.accessCodeLifespan,
    AccessToken: realm.accessTokenLifespan,
    ClientCredentials: realm.accessTokenLifespan,
    IdToken: realm.accessTokenLifespan,
    // Keycloak's refresh token lives as long as the idle SSO session, which each refresh extends.
    RefreshToken: realm.ssoSessionIdleTimeout,
    Session: realm.ssoSessionMaxLifespan,
    Grant: realm.ssoSessionMaxLifespan,
    Interaction: realm.accessCodeLifespanLogin,
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  // The library would otherwise render its own error page for an unknown interaction; keep the answer short.
  renderError: async (ctx, out) => {
    ctx.type = 'text/plain';
    ctx.body = `${out.error}: ${out.error_description ?? ''}`;
  },
};

const provider = new Provider(issuer, configuration);

const page = (uid, message) => `<!doctype html><html><head><title>Sign in</title></head><body>
<form method="post" action="/interaction/${uid}/login">
${message ? `<p>${message}</p>` : ''}<input type="text" name="username" autocomplete="username">
<input type="password" name="password" autocomplete="current-password"><button type="submit">Sign in</button>
</form></body></html>`;

function readForm(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
      if (body.length > 16_384) reject(new Error('form too large'));
    });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

// Consent for the realm's clients is given with the login: the scopes and resource scopes the request asked for.
async function grantFor(details, accountId) {
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId, clientId: details.params.client_id });
  const missing = details.prompt.details ?? {};
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  return grant.save();
}

async function interaction(req, res, path) {
  const details = await provider.interactionDetails(req, res);
  const uid = details.uid;
  if (req.method === 'GET' && path === `/interaction/${uid}`) {
    if (details.prompt.name === 'consent') {
      const grantId = await grantFor(details, details.session.accountId);
      return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    return res.end(page(uid));
  }
  if (req.method === 'POST' && path === `/interaction/${uid}/login`) {
    const form = await readForm(req);
    const user = users.get(form.get('username') ?? '');
    // A missing user costs a hash too, so that the answer's time does not tell who exists.
    const ok = await argon2.verify(user?.hash ?? hashes.values().next().value, form.get('password') ?? '');
    if (!user || !ok) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      return res.end(page(uid, 'Invalid username or password.'));
    }
    const grantId = await grantFor({ ...details, prompt: { name: 'consent', details: consentDetails(details) } }, user.id);
    return provider.interactionFinished(req, res, { login: { accountId: user.id }, consent: { grantId } },
      { mergeWithLastSubmission: false });
  }
  res.writeHead(404).end();
}

// At the login prompt the library has not yet listed what consent is missing; a new session has nothing granted,
// so the request's scopes (and its resource's, which the resource server allows) are what is missing.
function consentDetails(details) {
  const requested = new Set(String(details.params.scope ?? '').split(' ').filter(Boolean));
  const oidc = [...requested].filter((s) => configuration.scopes.includes(s));
  return {
    missingOIDCScope: oidc,
    missingResourceScopes: { [RESOURCE]: [...requested].filter((s) => s === 'profile' || s === 'email') },
  };
}

const callback = provider.callback();
const server = createServer((req, res) => {
  const path = new URL(req.url, issuer).pathname;
  if (path.startsWith('/interaction/')) {
    interaction(req, res, path).catch((err) => {
      if (!res.headersSent) res.writeHead(err.statusCode ?? 500, { 'Content-Type': 'text/plain' });
      res.end(String(err.message ?? err));
    });
    return;
  }
  callback(req, res);
});
// The bench's client keeps its connections between phases; Node.js would close them after 5 idle seconds.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.listen(port, '127.0.0.1', () => {
  console.log(`node-oidc-provider ${issuer}: ${clients.length} clients, ${users.size} users`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
