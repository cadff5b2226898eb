import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Config } from './config.js';
import { poolUse, type Database } from './db/knex.js';
import { noStoreHeaders } from './http/no-store.js';
import type { AuthenticationResult, CacheMeter, CacheName, Metrics } from './metrics.js';
import { constantTimeEqual } from './secrets/constant-time.js';
import { tokenKinds } from './tokens/kinds.js';

/** Request latency buckets, seconds: a cached request takes about a millisecond, a password grant (scrypt) about one second. */
const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** `2xx`, `4xx`…: the histogram's status label, so that its buckets are not kept per exact status. */
const statusClassOf = (status: number): string => `${Math.floor(status / 100)}xx`;

type Labels = Record<string, string>;
interface Sample {
  metricName?: string;
  labels: Labels;
  value: number;
}

/**
 * A metric counted in plain numbers and read by prom-client's registry only when scraped. A
 * prom-client child (`counter.labels(…)`) validates and hashes its label values again on every
 * `inc()` and `observe()` (about 4 µs a request for the handful of events one makes); here a child
 * is an object made once per set of label values, and counting is `child.value++`.
 */
abstract class Tally<Child extends { labels: Labels }> {
  protected readonly children: Child[] = [];
  readonly aggregator = 'sum';

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'histogram',
    registry: Registry,
  ) {
    registry.registerMetric(this as never);
  }

  protected abstract samplesOf(child: Child): Sample[];

  /** What the registry asks of a metric when it is scraped. */
  get() {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.children.flatMap((child) => this.samplesOf(child)) };
  }
}

class TallyCounter extends Tally<{ labels: Labels; value: number }> {
  constructor(name: string, help: string, registry: Registry) {
    super(name, help, 'counter', registry);
  }

  child(labels: Labels): { value: number } {
    const child = { labels, value: 0 };
    this.children.push(child);
    return child;
  }

  protected samplesOf(child: { labels: Labels; value: number }): Sample[] {
    return [{ labels: child.labels, value: child.value }];
  }
}

interface HistogramChild {
  labels: Labels;
  /** Observations per bucket (not cumulative); the last is above every bound. */
  buckets: Float64Array;
  sum: number;
  count: number;
}

class TallyHistogram extends Tally<HistogramChild> {
  constructor(name: string, help: string, registry: Registry, private readonly bounds: readonly number[]) {
    super(name, help, 'histogram', registry);
  }

  child(labels: Labels): HistogramChild {
    const child = { labels, buckets: new Float64Array(this.bounds.length + 1), sum: 0, count: 0 };
    this.children.push(child);
    return child;
  }

  observe(child: HistogramChild, value: number): void {
    let i = 0;
    while (i < this.bounds.length && value > this.bounds[i]!) i++;
    child.buckets[i]!++;
    child.sum += value;
    child.count++;
  }

  protected samplesOf(child: HistogramChild): Sample[] {
    const samples: Sample[] = [];
    let cumulative = 0;
    this.bounds.forEach((bound, i) => {
      cumulative += child.buckets[i]!;
      samples.push({ metricName: `${this.name}_bucket`, labels: { ...child.labels, le: String(bound) }, value: cumulative });
    });
    samples.push({ metricName: `${this.name}_bucket`, labels: { ...child.labels, le: '+Inf' }, value: child.count });
    samples.push({ metricName: `${this.name}_sum`, labels: child.labels, value: child.sum });
    samples.push({ metricName: `${this.name}_count`, labels: child.labels, value: child.count });
    return samples;
  }
}

/** A child per pair of label values, made on first use and kept. Both come from bounded sets (see `metrics.ts`). */
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

/** The same for one label. */
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
  collectDefaultMetrics({ register: registry });

  const requests = new TallyCounter('tessera_http_requests_total', 'Requests answered, by operationId (or the route outside the spec, or unrouted) and status', registry);
  const latency = new TallyHistogram('tessera_http_request_duration_seconds', "Time from a request's arrival to its answer, by operationId and status class", registry, latencyBuckets);
  const authentications = new TallyCounter('tessera_authentications_total', 'Credentials settled by the security step, by the scheme that carried them and result (ok, failed, absent)', registry);
  const secretChecks = new TallyCounter('tessera_secret_checks_total', 'Passwords and client secrets checked under the brute-force guard, by kind and result', registry);
  const throttled = new TallyCounter('tessera_throttled_attempts_total', 'Attempts refused 429 by the brute-force guard, by what was guessed', registry);
  const issued = new TallyCounter('tessera_tokens_issued_total', 'Tokens issued, by kind', registry);
  const revoked = new TallyCounter('tessera_tokens_revoked_total', 'Live tokens revoked, by kind', registry);
  const cacheLookups = new TallyCounter('tessera_cache_lookups_total', 'Lookups in the in-process caches, by cache (token, tenant, permission) and result (hit, miss)', registry);
  const registers = [registry];
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

  const latencyOf = childrenOf((operationId, statusClass) => latency.child({ operationId, status_class: statusClass }));
  const answeredChild = childrenOf((operationId, status) => ({
    count: requests.child({ operationId, status }),
    // One histogram child per status class, shared by the statuses of that class.
    latency: latencyOf(operationId, statusClassOf(Number(status))),
  }));
  const statusText: string[] = [];
  const authenticationChild = childrenOf((scheme, result) => authentications.child({ scheme, result }));
  const secretCheckChild = childrenOf((kind, result) => secretChecks.child({ kind, result }));
  const throttledChild = childOf((realm) => throttled.child({ realm }));
  const issuedChild = childOf((kind) => issued.child({ kind }));
  const revokedChild = childOf((kind) => revoked.child({ kind }));
  const cacheChild = childrenOf((cache, result) => cacheLookups.child({ cache, result }));

  // Every kind, cache and realm shows from the start, at 0: a rate over a series that appears only
  // with its first event misses that event.
  for (const kind of Object.keys(tokenKinds)) {
    issuedChild(kind);
    revokedChild(kind);
  }
  for (const cache of ['token', 'tenant', 'permission']) for (const result of ['hit', 'miss']) cacheChild(cache, result);
  for (const realm of ['admin-password', 'user-password', 'client-secret']) throttledChild(realm);

  const metrics: Metrics = {
    answered(operation, status, seconds) {
      const child = answeredChild(operation, (statusText[status] ??= String(status)));
      child.count.value++;
      latency.observe(child.latency, seconds);
    },
    authenticated: (scheme: string, result: AuthenticationResult) => void authenticationChild(scheme, result).value++,
    secretChecked: (kind, result) => void secretCheckChild(kind, result).value++,
    throttled: (realm) => void throttledChild(realm).value++,
    tokenIssued: (kind) => void issuedChild(kind).value++,
    tokenRevoked: (kind) => void revokedChild(kind).value++,
    cache(name: CacheName): CacheMeter {
      const hits = cacheChild(name, 'hit');
      const misses = cacheChild(name, 'miss');
      return { hit: () => void hits.value++, miss: () => void misses.value++ };
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
        // A scrape may be behind a token: no cache keeps it (the headers every API answer that must not be stored carries).
        res.writeHead(200, { 'Content-Type': registry.contentType, ...noStoreHeaders });
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
