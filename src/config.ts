import proxyaddr from 'proxy-addr';
import path from 'node:path';
import { isLoopbackHostname } from './loopback.js';

/**
 * Every setting, with its default. Environment variables override these at start; the result is
 * checked once and frozen, so a bad value stops the server at boot rather than at the first request.
 */
export const defaults = {
  /** TCP port (`PORT`). */
  port: 8080,
  /** Interface to listen on (`HOST`). */
  host: '127.0.0.1',
  /** `sqlite:<path>` or `postgres://…` (`DATABASE_URL`). */
  databaseUrl: 'sqlite:./data/tessera.sqlite',
  /** Folder for the SQLite file and the generated server key (`TESSERA_DATA_DIR`). */
  dataDir: './data',
  /** 32-byte key, base64 or hex, that encrypts secrets the server must read back (`TESSERA_SECRET_KEY`). */
  secretKey: undefined as string | undefined,
  /**
   * Earlier server keys, comma-separated (`TESSERA_PREVIOUS_SECRET_KEYS`): they still open the
   * secrets they sealed, never seal. Set during a key rotation (README, "Rotating the server key").
   */
  previousSecretKeys: [] as string[],
  /** The superuser's username (`TESSERA_SUPERUSER_USERNAME`). */
  superuserUsername: 'superuser',
  /** The superuser's password (`TESSERA_SUPERUSER_PASSWORD`); generated and printed once when unset. */
  superuserPassword: undefined as string | undefined,
  /** Let anyone create an organization with `POST /management/orgs` (`TESSERA_ORGANIZATION_SIGNUP`). */
  organizationSignup: false,
  /** Seed a demo organization on an empty database (`TESSERA_DEMO`). */
  demo: false,
  /** Validate every response against the spec and answer 502 on a mismatch (`TESSERA_VALIDATE_RESPONSES`). */
  validateResponses: false,
  /**
   * Compile every operation's request validators at start-up: a schema Ajv cannot compile stops the
   * start, and no first request pays for its operation. Tests, which start a server per file and
   * call a few operations each, compile each one at its first request instead (Ajv's compiling was
   * 40% of a start). Not an environment setting.
   */
  compileValidatorsAtStart: true,
  /** Largest JSON or form body, in bytes (`TESSERA_BODY_LIMIT`). */
  bodyLimit: 1024 * 1024,
  /**
   * Deepest nesting of objects and arrays in a request body (`TESSERA_BODY_MAX_DEPTH`). Checked at the
   * door, so nothing recursive (validation, storage, responses) ever meets a deeper one.
   */
  bodyMaxDepth: 32,
  /** Most values (object members and array items, at any depth) in one request body (`TESSERA_BODY_MAX_VALUES`). */
  bodyMaxValues: 10_000,
  /** Largest entity or custom object, in bytes of its stored JSON (`TESSERA_ENTITY_MAX_BYTES`); well under the body limit. */
  entityMaxBytes: 64 * 1024,
  /**
   * Most bytes of stored JSON a page of entities or users is built from (`TESSERA_PAGE_MAX_BYTES`); a page
   * stops early, with a cursor, rather than pass it. At least one item is always returned.
   */
  pageMaxBytes: 1024 * 1024,
  /** What each application may store in entities: bytes of JSON and how many (`TESSERA_STORAGE_QUOTA_BYTES`, `…_ENTITIES`). */
  storageQuotaBytes: 256 * 1024 * 1024,
  storageQuotaEntities: 1_000_000,
  /** The same for each organization's sandbox, which anyone may write to (`TESSERA_SANDBOX_QUOTA_BYTES`, `…_ENTITIES`). */
  sandboxQuotaBytes: 4 * 1024 * 1024,
  sandboxQuotaEntities: 1000,
  /** Default and maximum lifetime of access tokens, ms (Usergrid: 7 days). */
  accessTokenTtlMs: 7 * 24 * 3600 * 1000,
  /** How long a looked-up token stays in the in-process cache, ms. */
  tokenCacheTtlMs: 30_000,
  /** How many tokens the cache holds. */
  tokenCacheSize: 10_000,
  /** How often last-used times and sliding expiries are written behind, ms. */
  tokenWriteBehindMs: 60_000,
  /**
   * How long compiled role and permission grants are kept without a change notice, ms
   * (`TESSERA_GRANT_CACHE_TTL_MS`). Changes made through this instance take effect at once, and
   * reach the others on PostgreSQL as a notice (`changeFeedTrustMs`); this bounds an entry should a
   * notice be lost all the same.
   */
  grantCacheTtlMs: 30_000,
  /** How many guests' and users' compiled grants the cache holds. */
  grantCacheSize: 10_000,
  /**
   * How long the organizations and applications that paths name are kept without a change notice,
   * ms (`TESSERA_TENANT_CACHE_TTL_MS`): changes through this instance apply at once, this bounds
   * how long another instance may answer with an application's old settings. One lookup per
   * second and application costs nothing; an access setting changed elsewhere applies within it.
   */
  tenantCacheTtlMs: 1000,
  /** How many organizations and applications that cache holds. */
  tenantCacheSize: 10_000,
  /**
   * On PostgreSQL, the bound on how long another instance's revocation or access change may go
   * unseen, ms (`TESSERA_CHANGE_FEED_TRUST_MS`): while the LISTEN channel is down (not yet up, lost,
   * or its heartbeat unanswered this long) every cache is emptied this often.
   */
  changeFeedTrustMs: 1000,
  /**
   * PostgreSQL only: how long a request may wait for a database connection (a free one from the
   * pool, or a new one being opened) before it is answered 503 with `Retry-After`, ms
   * (`TESSERA_DATABASE_CONNECT_TIMEOUT_MS`). Bounds a client's wait during an outage.
   */
  databaseConnectTimeoutMs: 5000,
  /**
   * PostgreSQL only: most connections this instance pools (`TESSERA_DATABASE_POOL_SIZE`). One
   * Node.js process keeps about ten busy; more only queue inside PostgreSQL. Size `max_connections`
   * for instances × (this + 2): the change feed and the start-up lock hold one each outside the pool.
   */
  databasePoolSize: 10,
  /** PostgreSQL only: the longest one statement may run, ms (`TESSERA_DATABASE_STATEMENT_TIMEOUT_MS`); migrations are exempt. */
  databaseStatementTimeoutMs: 30_000,
  /**
   * The load balancers and proxies whose `X-Forwarded-For` names the client (`TESSERA_TRUSTED_PROXIES`:
   * addresses or CIDR ranges, comma-separated, or proxy-addr's names `loopback`, `linklocal`,
   * `uniquelocal`). Empty: the socket's address is the client's.
   */
  trustedProxies: [] as string[],
  /**
   * Where Prometheus metrics are served (`TESSERA_METRICS_PORT`): a listener of their own, not the
   * API's port, so they never pass the load balancer in front of the API. Unset: no metrics, and no
   * listener.
   */
  metricsPort: undefined as number | undefined,
  /** The interface the metrics listener binds (`TESSERA_METRICS_HOST`): loopback unless the scraper is elsewhere. */
  metricsHost: '127.0.0.1',
  /**
   * A bearer token the scraper must send (`TESSERA_METRICS_TOKEN`, at least 16 characters),
   * compared in constant time; for a metrics listener bound beyond loopback. Unset: none asked.
   */
  metricsToken: undefined as string | undefined,
  /** pino log level (`LOG_LEVEL`). */
  logLevel: 'info' as 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent',
  /** `json` (one JSON object per line, for collectors) or `pretty` (coloured, one readable line each, for a person at a terminal) (`TESSERA_LOG_FORMAT`). */
  logFormat: 'json' as 'json' | 'pretty',
  /** scrypt cost parameter N for passwords (`TESSERA_SCRYPT_COST`); lower only in tests. */
  scryptCost: 16384,
  /**
   * The OAuth issuer, an https URL without query or fragment (`TESSERA_ISSUER`); plain http only for
   * a loopback host. Unset: the server's own loopback address, and OAuth refuses other hosts.
   */
  issuer: undefined as string | undefined,
  /** Lifetime of OAuth access tokens, s (the seed's `expires_in: 7200`). */
  oauthAccessTokenTtlS: 7200,
  /** Lifetime of each OAuth refresh token, ms; every refresh issues a new one. */
  oauthRefreshTokenTtlMs: 30 * 24 * 3600 * 1000,
  /** Lifetime of authorization codes, ms (RFC 6749 §4.1.2: at most 10 minutes). */
  oauthCodeTtlMs: 10 * 60 * 1000,
  /** How long a login and consent may take, from the authorization request on, ms. */
  oauthInteractionTtlMs: 30 * 60 * 1000,
  /** An identical refresh retried this soon gets the same answer instead of a family revocation, ms (`TESSERA_OAUTH_REFRESH_RETRY_MS`). */
  oauthRefreshRetryWindowMs: 10_000,
  /** How often dead tokens and old QuickBlox nonces are deleted, ms (`TESSERA_PURGE_INTERVAL_MS`; 0: never). */
  purgeIntervalMs: 60_000,
  /**
   * How long a dead token (expired, revoked, used) is kept before it is deleted, ms; at least twice
   * `tokenWriteBehindMs`. Used codes and refresh tokens are kept longer: as long as their grant lives.
   */
  purgeGraceMs: 3600_000,
  /** How long audit events are kept, in days, from their latest occurrence (`TESSERA_AUDIT_RETENTION_DAYS`). */
  auditRetentionDays: 90,
  /**
   * The most audit events an organization keeps (`TESSERA_AUDIT_MAX_EVENTS_PER_ORG`): the sweeper
   * deletes its oldest past this, so an organization whose admins script thousands of changes a day
   * cannot grow the table without bound within the retention period.
   */
  auditMaxEventsPerOrganization: 100_000,
};

export type Config = Readonly<typeof defaults>;

function parseBoolean(name: string, value: string): boolean {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new Error(`${name} must be true or false, not ${JSON.stringify(value)}`);
}

function parseInteger(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, not ${JSON.stringify(value)}`);
  }
  return n;
}

/** A comma-separated list proxy-addr accepts; an address it cannot read stops the start, naming the variable. */
function parseTrustedProxies(value: string): string[] {
  const list = value.split(',').map((entry) => entry.trim()).filter(Boolean);
  try {
    proxyaddr.compile(list);
  } catch (error) {
    throw new Error(`TESSERA_TRUSTED_PROXIES must list addresses, CIDR ranges or loopback/linklocal/uniquelocal: ${(error as Error).message}`);
  }
  return list;
}

/** Builds the configuration from the defaults, then `env`, then `overrides` (tests). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const c = { ...defaults };
  if (env.PORT !== undefined) c.port = parseInteger('PORT', env.PORT, 0, 65535);
  if (env.HOST) c.host = env.HOST;
  if (env.TESSERA_DATA_DIR) c.dataDir = env.TESSERA_DATA_DIR;
  c.databaseUrl = env.DATABASE_URL || `sqlite:${path.join(c.dataDir, 'tessera.sqlite')}`;
  if (env.TESSERA_SECRET_KEY) c.secretKey = env.TESSERA_SECRET_KEY;
  if (env.TESSERA_PREVIOUS_SECRET_KEYS) c.previousSecretKeys = env.TESSERA_PREVIOUS_SECRET_KEYS.split(',').map((key) => key.trim()).filter(Boolean);
  if (env.TESSERA_SUPERUSER_USERNAME) c.superuserUsername = env.TESSERA_SUPERUSER_USERNAME;
  if (env.TESSERA_SUPERUSER_PASSWORD) c.superuserPassword = env.TESSERA_SUPERUSER_PASSWORD;
  if (env.TESSERA_ORGANIZATION_SIGNUP) c.organizationSignup = parseBoolean('TESSERA_ORGANIZATION_SIGNUP', env.TESSERA_ORGANIZATION_SIGNUP);
  if (env.TESSERA_DEMO) c.demo = parseBoolean('TESSERA_DEMO', env.TESSERA_DEMO);
  if (env.TESSERA_VALIDATE_RESPONSES) c.validateResponses = parseBoolean('TESSERA_VALIDATE_RESPONSES', env.TESSERA_VALIDATE_RESPONSES);
  if (env.TESSERA_BODY_LIMIT) c.bodyLimit = parseInteger('TESSERA_BODY_LIMIT', env.TESSERA_BODY_LIMIT, 1024, 64 * 1024 * 1024);
  if (env.TESSERA_BODY_MAX_VALUES) c.bodyMaxValues = parseInteger('TESSERA_BODY_MAX_VALUES', env.TESSERA_BODY_MAX_VALUES, 100, 1_000_000);
  if (env.TESSERA_BODY_MAX_DEPTH) c.bodyMaxDepth = parseInteger('TESSERA_BODY_MAX_DEPTH', env.TESSERA_BODY_MAX_DEPTH, 4, 256);
  if (env.TESSERA_ENTITY_MAX_BYTES) c.entityMaxBytes = parseInteger('TESSERA_ENTITY_MAX_BYTES', env.TESSERA_ENTITY_MAX_BYTES, 1024, 64 * 1024 * 1024);
  if (env.TESSERA_PAGE_MAX_BYTES) c.pageMaxBytes = parseInteger('TESSERA_PAGE_MAX_BYTES', env.TESSERA_PAGE_MAX_BYTES, 1024, 256 * 1024 * 1024);
  if (env.TESSERA_STORAGE_QUOTA_BYTES) c.storageQuotaBytes = parseInteger('TESSERA_STORAGE_QUOTA_BYTES', env.TESSERA_STORAGE_QUOTA_BYTES, 0, Number.MAX_SAFE_INTEGER);
  if (env.TESSERA_STORAGE_QUOTA_ENTITIES) c.storageQuotaEntities = parseInteger('TESSERA_STORAGE_QUOTA_ENTITIES', env.TESSERA_STORAGE_QUOTA_ENTITIES, 0, Number.MAX_SAFE_INTEGER);
  if (env.TESSERA_SANDBOX_QUOTA_BYTES) c.sandboxQuotaBytes = parseInteger('TESSERA_SANDBOX_QUOTA_BYTES', env.TESSERA_SANDBOX_QUOTA_BYTES, 0, Number.MAX_SAFE_INTEGER);
  if (env.TESSERA_SANDBOX_QUOTA_ENTITIES) c.sandboxQuotaEntities = parseInteger('TESSERA_SANDBOX_QUOTA_ENTITIES', env.TESSERA_SANDBOX_QUOTA_ENTITIES, 0, Number.MAX_SAFE_INTEGER);
  if (env.TESSERA_SCRYPT_COST) c.scryptCost = parseInteger('TESSERA_SCRYPT_COST', env.TESSERA_SCRYPT_COST, 2, 1 << 20);
  if (env.TESSERA_GRANT_CACHE_TTL_MS) c.grantCacheTtlMs = parseInteger('TESSERA_GRANT_CACHE_TTL_MS', env.TESSERA_GRANT_CACHE_TTL_MS, 0, 3_600_000);
  if (env.TESSERA_CHANGE_FEED_TRUST_MS) c.changeFeedTrustMs = parseInteger('TESSERA_CHANGE_FEED_TRUST_MS', env.TESSERA_CHANGE_FEED_TRUST_MS, 100, 60_000);
  if (env.TESSERA_TENANT_CACHE_TTL_MS) c.tenantCacheTtlMs = parseInteger('TESSERA_TENANT_CACHE_TTL_MS', env.TESSERA_TENANT_CACHE_TTL_MS, 0, 60_000);
  if (env.TESSERA_ISSUER) c.issuer = env.TESSERA_ISSUER;
  if (env.TESSERA_OAUTH_REFRESH_RETRY_MS) c.oauthRefreshRetryWindowMs = parseInteger('TESSERA_OAUTH_REFRESH_RETRY_MS', env.TESSERA_OAUTH_REFRESH_RETRY_MS, 0, 300_000);
  if (env.TESSERA_AUDIT_RETENTION_DAYS) c.auditRetentionDays = parseInteger('TESSERA_AUDIT_RETENTION_DAYS', env.TESSERA_AUDIT_RETENTION_DAYS, 1, 36_500);
  if (env.TESSERA_AUDIT_MAX_EVENTS_PER_ORG) {
    c.auditMaxEventsPerOrganization = parseInteger('TESSERA_AUDIT_MAX_EVENTS_PER_ORG', env.TESSERA_AUDIT_MAX_EVENTS_PER_ORG, 1, 100_000_000);
  }
  if (env.TESSERA_PURGE_INTERVAL_MS) c.purgeIntervalMs = parseInteger('TESSERA_PURGE_INTERVAL_MS', env.TESSERA_PURGE_INTERVAL_MS, 0, 86_400_000);
  if (env.TESSERA_TRUSTED_PROXIES) c.trustedProxies = parseTrustedProxies(env.TESSERA_TRUSTED_PROXIES);
  if (env.TESSERA_DATABASE_POOL_SIZE) c.databasePoolSize = parseInteger('TESSERA_DATABASE_POOL_SIZE', env.TESSERA_DATABASE_POOL_SIZE, 1, 1000);
  if (env.TESSERA_DATABASE_CONNECT_TIMEOUT_MS) c.databaseConnectTimeoutMs = parseInteger('TESSERA_DATABASE_CONNECT_TIMEOUT_MS', env.TESSERA_DATABASE_CONNECT_TIMEOUT_MS, 100, 600_000);
  if (env.TESSERA_DATABASE_STATEMENT_TIMEOUT_MS) c.databaseStatementTimeoutMs = parseInteger('TESSERA_DATABASE_STATEMENT_TIMEOUT_MS', env.TESSERA_DATABASE_STATEMENT_TIMEOUT_MS, 100, 3_600_000);
  if (env.TESSERA_METRICS_PORT) c.metricsPort = parseInteger('TESSERA_METRICS_PORT', env.TESSERA_METRICS_PORT, 0, 65535);
  if (env.TESSERA_METRICS_HOST) c.metricsHost = env.TESSERA_METRICS_HOST;
  if (env.TESSERA_METRICS_TOKEN) c.metricsToken = env.TESSERA_METRICS_TOKEN;
  if (env.LOG_LEVEL) c.logLevel = env.LOG_LEVEL as Config['logLevel'];
  if (env.TESSERA_LOG_FORMAT) c.logFormat = env.TESSERA_LOG_FORMAT as Config['logFormat'];
  Object.assign(c, overrides);
  return check(c);
}

function check(c: typeof defaults): Config {
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(c.databaseUrl)) {
    throw new Error(`DATABASE_URL must start with sqlite: or postgres://, not ${JSON.stringify(c.databaseUrl)}`);
  }
  // `sqlite:` takes a file path as it is: `sqlite:file:/x` would be a folder named `file:` under the
  // working directory, and `?mode=…` part of the file's name. Neither is what was meant.
  if (/^sqlite:(file:|.*\?)/.test(c.databaseUrl)) {
    throw new Error(`DATABASE_URL=sqlite:<path> takes a plain file path (no file: URI, no ?options), not ${JSON.stringify(c.databaseUrl)}`);
  }
  if ((c.scryptCost & (c.scryptCost - 1)) !== 0) throw new Error('TESSERA_SCRYPT_COST must be a power of two');
  if (!['json', 'pretty'].includes(c.logFormat)) throw new Error('TESSERA_LOG_FORMAT must be json or pretty');
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(c.logLevel)) {
    throw new Error(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent`);
  }
  // The same rule as every username (domain/usernames.ts): nothing `{user}` could read as an email, a uuid or a number.
  const uuidShaped = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(c.superuserUsername) || /^[0-9]+$/.test(c.superuserUsername) || uuidShaped.test(c.superuserUsername)) {
    throw new Error('TESSERA_SUPERUSER_USERNAME must be 1-64 letters, digits, _ . -, neither a number nor a uuid');
  }
  if (c.issuer !== undefined) checkIssuer(c.issuer);
  if (c.metricsPort !== undefined && c.metricsPort !== 0 && c.metricsPort === c.port) throw new Error('TESSERA_METRICS_PORT must differ from PORT: metrics have a listener of their own');
  if (c.metricsToken !== undefined && c.metricsToken.length < 16) throw new Error('TESSERA_METRICS_TOKEN must be at least 16 characters');
  if (c.metricsToken !== undefined && c.metricsPort === undefined) throw new Error('TESSERA_METRICS_TOKEN is set but TESSERA_METRICS_PORT is not: metrics are served only on their own port');
  // Metrics name every operation and count failures and lockouts: beyond loopback, only with a token.
  if (c.metricsPort !== undefined && c.metricsToken === undefined && !isLoopbackHost(c.metricsHost)) {
    throw new Error(`TESSERA_METRICS_HOST=${c.metricsHost} serves metrics beyond this machine: set TESSERA_METRICS_TOKEN too`);
  }
  return Object.freeze(c);
}

/** RFC 8414 §2: https, no query or fragment; RFC 6749 §3.1 allows plain http only on loopback (dev). */
function checkIssuer(issuer: string): void {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new Error(`TESSERA_ISSUER must be an absolute URL, not ${JSON.stringify(issuer)}`);
  }
  const loopback = isLoopbackHostname(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw new Error('TESSERA_ISSUER must be https (plain http only for 127.0.0.1, [::1] or localhost)');
  if (url.search || url.hash || issuer.includes('#') || issuer.includes('?')) throw new Error('TESSERA_ISSUER must not have a query or a fragment');
  if (issuer.endsWith('/')) throw new Error('TESSERA_ISSUER must not end with /');
  if (url.username || url.password) throw new Error('TESSERA_ISSUER must not carry credentials');
}

/** `localhost`, `::1` or an address in 127.0.0.0/8: reachable from this machine only. */
function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
