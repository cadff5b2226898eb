import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Config } from './config.js';
import { poolUse, type Database } from './db/knex.js';
import type { AuthenticationResult, CacheMeter, CacheName, Metrics } from './metrics.js';
import { constantTimeEqual } from './secrets/constant-time.js';
import { tokenKinds } from './tokens/kinds.js';

/** Request latency buckets, seconds: a cached request takes about a millisecond, a password grant (scrypt) about one second. */
const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** `2xx`, `4xx`…: the histogram's status label, so that its buckets are not kept per exact status. */
const statusClassOf = (status: number): string => `${Math.floor(status / 100)}xx`;

/**
 * A child of a metric per pair of label values, made on first use and kept: prom-client's own
 * `labels()` builds a key string from the values on every call, which the hot path need not pay.
 * Both values come from bounded sets (see `metrics.ts`), so the maps stay small.
 */
function childrenOf<T>(make: (a: string, b: string) => T): (a: string, b: string) => T {
  const byFirst = new Map<string, Map<string, T>>();
  return (a, b) => {
    let bySecond = byFirst.get(a);
    if (!bySecond) byFirst.set(a, (bySecond = new Map()));
    let child = bySecond.get(b);
    if (!child) bySecond.set(b, (child = make(a, b)));
    return child;
  };
}

/** The same for a metric with one label. */
function childOf<T>(make: (value: string) => T): (value: string) => T {
  const children = new Map<string, T>();
  return (value) => {
    let child = children.get(value);
    if (!child) children.set(value, (child = make(value)));
    return child;
  };
}

export interface PrometheusMetrics {
  metrics: Metrics;
  registry: Registry;
}

/**
 * The metrics of one server, in a registry of its own (several servers in one process, as in the
 * tests, each count their own). Node's default metrics come with it: CPU, memory, heap, garbage
 * collection, handles, and the event loop's lag (`nodejs_eventloop_lag_seconds` and its percentiles).
 */
export function prometheusMetrics(db: Database): PrometheusMetrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });

  const requests = new Counter({ name: 'tessera_http_requests_total', help: 'Requests answered, by operationId (or the route outside the spec, or unrouted) and status', labelNames: ['operationId', 'status'] as const, registers });
  const latency = new Histogram({ name: 'tessera_http_request_duration_seconds', help: 'Time from a request\'s arrival to its answer, by operationId and status class', labelNames: ['operationId', 'status_class'] as const, buckets: latencyBuckets, registers });
  const authentications = new Counter({ name: 'tessera_authentications_total', help: 'Credentials settled by the security step, by the scheme that carried them and result (ok, failed, absent)', labelNames: ['scheme', 'result'] as const, registers });
  const secretChecks = new Counter({ name: 'tessera_secret_checks_total', help: 'Passwords and client secrets checked under the brute-force guard, by kind and result', labelNames: ['kind', 'result'] as const, registers });
  const throttled = new Counter({ name: 'tessera_throttled_attempts_total', help: 'Attempts refused 429 by the brute-force guard, by what was guessed', labelNames: ['realm'] as const, registers });
  const issued = new Counter({ name: 'tessera_tokens_issued_total', help: 'Tokens issued, by kind', labelNames: ['kind'] as const, registers });
  const revoked = new Counter({ name: 'tessera_tokens_revoked_total', help: 'Live tokens revoked, by kind', labelNames: ['kind'] as const, registers });
  const cacheLookups = new Counter({ name: 'tessera_cache_lookups_total', help: 'Lookups in the in-process caches, by cache (token, tenant, permission) and result (hit, miss)', labelNames: ['cache', 'result'] as const, registers });
  new Gauge({
    name: 'tessera_database_connections',
    help: 'Database pool connections by state (used, free) and requests waiting for one (pending); on SQLite the one writer connection: used 1 while busy',
    labelNames: ['state'] as const,
    registers,
    collect() {
      const use = poolUse(db);
      this.set({ state: 'used' }, use.used);
      this.set({ state: 'free' }, use.free);
      this.set({ state: 'pending' }, use.pending);
    },
  });
  new Gauge({ name: 'tessera_database_pool_max', help: 'Most connections the database pool opens', registers, collect() { this.set(poolUse(db).max); } });

  // Every kind, scheme and result shows from the start, at 0: a rate over a series that appears only
  // with its first event misses that event.
  for (const kind of Object.keys(tokenKinds)) {
    issued.labels(kind).inc(0);
    revoked.labels(kind).inc(0);
  }
  for (const cache of ['token', 'tenant', 'permission']) for (const result of ['hit', 'miss']) cacheLookups.labels(cache, result).inc(0);
  for (const realm of ['admin-password', 'user-password', 'client-secret']) throttled.labels(realm).inc(0);

  const answeredChild = childrenOf((operationId, status) => ({
    count: requests.labels(operationId, status),
    latency: latency.labels(operationId, statusClassOf(Number(status))),
  }));
  const statusText: string[] = [];
  const authenticationChild = childrenOf((scheme, result) => authentications.labels(scheme, result));
  const secretCheckChild = childrenOf((kind, result) => secretChecks.labels(kind, result));
  const throttledChild = childOf((realm) => throttled.labels(realm));
  const issuedChild = childOf((kind) => issued.labels(kind));
  const revokedChild = childOf((kind) => revoked.labels(kind));
  const cacheMeters = new Map<CacheName, CacheMeter>();

  const metrics: Metrics = {
    answered(operation, status, seconds) {
      const child = answeredChild(operation, (statusText[status] ??= String(status)));
      child.count.inc();
      child.latency.observe(seconds);
    },
    authenticated: (scheme: string, result: AuthenticationResult) => authenticationChild(scheme, result).inc(),
    secretChecked: (kind, result) => secretCheckChild(kind, result).inc(),
    throttled: (realm) => throttledChild(realm).inc(),
    tokenIssued: (kind) => issuedChild(kind).inc(),
    tokenRevoked: (kind) => revokedChild(kind).inc(),
    cache(name) {
      let meter = cacheMeters.get(name);
      if (!meter) {
        const hits = cacheLookups.labels(name, 'hit');
        const misses = cacheLookups.labels(name, 'miss');
        cacheMeters.set(name, (meter = { hit: () => hits.inc(), miss: () => misses.inc() }));
      }
      return meter;
    },
  };
  return { metrics, registry };
}

export interface MetricsListener {
  url: string;
  close(): Promise<void>;
}

/** RFC 6750 §2.1: `Authorization: Bearer <token>`, compared in constant time. */
function presentsToken(req: http.IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer +(\S+)\s*$/i.exec(header);
  return match !== null && constantTimeEqual(match[1]!, token);
}

/**
 * `GET /metrics` on a listener of its own (`TESSERA_METRICS_PORT`, `TESSERA_METRICS_HOST`): not an
 * API operation, never reachable through the API's port or its load balancer. With
 * `TESSERA_METRICS_TOKEN`, a scrape without that bearer token is answered 401.
 */
export async function startMetricsListener(config: Pick<Config, 'metricsPort' | 'metricsHost' | 'metricsToken'>, registry: Registry): Promise<MetricsListener> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found: metrics are at /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
      return;
    }
    if (config.metricsToken !== undefined && !presentsToken(req, config.metricsToken)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="metrics"', 'Content-Type': 'text/plain; charset=utf-8' }).end('A bearer token is required\n');
      return;
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      () => res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Metrics could not be collected\n'),
    );
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.metricsPort, config.metricsHost, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.metricsHost.includes(':') ? `[${config.metricsHost}]` : config.metricsHost;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
