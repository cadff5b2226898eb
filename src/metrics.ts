/**
 * What the server counts as it works, told to whoever measures it. The code that does the work
 * (the pipeline, the security step, the brute-force guard, the token store, the caches) calls these;
 * `prometheus.ts` turns them into Prometheus metrics when `TESSERA_METRICS_PORT` is set, and
 * `noMetrics` does nothing otherwise, so a server without metrics pays one empty call per event.
 *
 * Every argument is one of a bounded set of values (an operationId, a status, a scheme name, a token
 * kind): never a path, a username or anything else a client chooses, which would make a series per
 * value and let anyone grow the scrape without bound.
 */

/** How a request's credential fared: a good one, a bad one (401, or two mechanisms: 400), or none at all. */
export type AuthenticationResult = 'ok' | 'failed' | 'absent';

/** The in-process caches whose hits and misses are counted. */
export type CacheName = 'token' | 'tenant' | 'permission';

/** One cache's counters, bound once when the cache is built: counting a lookup builds no label. */
export interface CacheMeter {
  hit(): void;
  miss(): void;
}

export interface Metrics {
  /** A request was answered: its operationId (or the route outside the spec, or `unrouted`), status and time taken. */
  answered(operation: string, status: number, seconds: number): void;
  /** The security step settled a request's credential; `scheme` is the scheme that carried it (`none` when absent). */
  authenticated(scheme: string, result: AuthenticationResult): void;
  /** A password or client secret was checked under the brute-force guard (`kind`: admin-password, user-password, client-secret). */
  secretChecked(kind: string, result: 'ok' | 'failed'): void;
  /** The brute-force guard answered 429 to an attempt at this kind of secret. */
  throttled(realm: string): void;
  /** A token of this kind (the token registry's name) was issued. */
  tokenIssued(kind: string): void;
  /** A live token of this kind was revoked. */
  tokenRevoked(kind: string): void;
  /** The counters of one cache. */
  cache(name: CacheName): CacheMeter;
}

const nothing = (): void => {};
const noCacheMeter: CacheMeter = Object.freeze({ hit: nothing, miss: nothing });

/** Metrics off: every event is dropped. */
export const noMetrics: Metrics = Object.freeze({
  answered: nothing,
  authenticated: nothing,
  secretChecked: nothing,
  throttled: nothing,
  tokenIssued: nothing,
  tokenRevoked: nothing,
  cache: () => noCacheMeter,
});
