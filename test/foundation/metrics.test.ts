import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { noMetrics } from '../../src/metrics.js';
import { createOrganization, superuserToken, type OrganizationFixture } from '../helpers/fixtures.js';
import { client, type Client } from '../helpers/http.js';
import { startTestServer, superuser, type TestServer } from '../helpers/server.js';

const metricsToken = 'scrape-token-0123456789abcdef';
let server: TestServer;
let http: Client;
let acme: OrganizationFixture;

beforeAll(async () => {
  server = await startTestServer({ config: { metricsPort: 0, metricsToken } });
  http = client(server.url);
  acme = await createOrganization(server.url, 'acme');
});
afterAll(() => server.close());

async function scrape(token: string | null = metricsToken): Promise<Response> {
  return fetch(server.metricsUrl!, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
}

async function scrapeText(): Promise<string> {
  const answer = await scrape();
  expect(answer.status).toBe(200);
  return answer.text();
}

/** The value of the one sample of `name` whose labels include `labels`; 0 when there is none yet. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const matching = text.split('\n').filter((line) => {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) return false;
    const labelText = line.slice(name.length).split(' ')[0]!;
    return wanted.every((pair) => labelText.includes(pair));
  });
  if (matching.length > 1) throw new Error(`${matching.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return matching.length ? Number(matching[0]!.split(' ').at(-1)) : 0;
}

/** Runs `act`, then says how much each sample moved. */
async function moved<K extends string>(act: () => Promise<unknown>, samples: Record<K, [string, Record<string, string>]>): Promise<Record<K, number>> {
  const before = await scrapeText();
  await act();
  const after = await scrapeText();
  const entries = Object.entries(samples) as [K, [string, Record<string, string>]][];
  return Object.fromEntries(entries.map(([key, [name, labels]]) => [key, sample(after, name, labels) - sample(before, name, labels)])) as Record<K, number>;
}

/** The TCP servers this process listens with. */
function listeningServers(): number {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles.filter((handle) => handle instanceof net.Server && handle.listening).length;
}

describe('Prometheus metrics', () => {
  it('counts an answered request by operationId and status, with its latency', async () => {
    const delta = await moved(() => http.get('/management/me', { token: acme.admin.token }), {
      ok: ['tessera_http_requests_total', { operationId: 'getManagementMe', status: '200' }],
      timed: ['tessera_http_request_duration_seconds_count', { operationId: 'getManagementMe', status_class: '2xx' }],
      authenticated: ['tessera_authentications_total', { scheme: 'bearerAuth', result: 'ok' }],
      tokenCacheHit: ['tessera_cache_lookups_total', { cache: 'token', result: 'hit' }],
    });
    expect(delta).toMatchObject({ ok: 1, timed: 1, authenticated: 1 });
    // The security step's lookup, and any the handler makes again for the token's record.
    expect(delta.tokenCacheHit).toBeGreaterThanOrEqual(1);
    const text = await scrapeText();
    const labels = { operationId: 'getManagementMe', status_class: '2xx' };
    const count = sample(text, 'tessera_http_request_duration_seconds_count', labels);
    expect(sample(text, 'tessera_http_request_duration_seconds_bucket', { ...labels, le: '+Inf' })).toBe(count);
    expect(sample(text, 'tessera_http_request_duration_seconds_bucket', { ...labels, le: '10' })).toBe(count);
    expect(sample(text, 'tessera_http_request_duration_seconds_sum', labels)).toBeGreaterThan(0);
  });

  it('counts a bad credential as a failed authentication and a missing one as absent, each a 401', async () => {
    const delta = await moved(
      async () => {
        expect((await http.get('/management/users/me', { token: 'tsr_at_not-a-token-anyone-issued' })).status).toBe(401);
        expect((await http.get('/management/users/me')).status).toBe(401);
      },
      {
        unauthorized: ['tessera_http_requests_total', { operationId: 'getAdminUser', status: '401' }],
        failed: ['tessera_authentications_total', { scheme: 'bearerAuth', result: 'failed' }],
        absent: ['tessera_authentications_total', { scheme: 'none', result: 'absent' }],
        tokenCacheMiss: ['tessera_cache_lookups_total', { cache: 'token', result: 'miss' }],
      },
    );
    expect(delta).toEqual({ unauthorized: 2, failed: 1, absent: 1, tokenCacheMiss: 1 });
  });

  it('counts tokens issued and revoked by kind', async () => {
    let token = '';
    const issued = await moved(async () => (token = await superuserToken(server.url)), {
      access: ['tessera_tokens_issued_total', { kind: 'access' }],
      password: ['tessera_secret_checks_total', { kind: 'admin-password', result: 'ok' }],
    });
    expect(issued).toEqual({ access: 1, password: 1 });
    const revoked = await moved(async () => expect((await http.post('/management/users/me/revoketokens', { token })).status).toBe(200), {
      access: ['tessera_tokens_revoked_total', { kind: 'access' }],
    });
    // The superuser's tokens: this one and the one createOrganization signed in with.
    expect(revoked.access).toBe(2);
  });

  it('counts attempts the brute-force guard refuses (429) by what was guessed', async () => {
    const guess = (password: string) => http.post('/management/token', { json: { grant_type: 'password', username: acme.admin.username, password } });
    const delta = await moved(
      async () => {
        for (let i = 0; i < 5; i++) expect((await guess(`wrong-${i}`)).status).toBe(400);
        expect((await guess(acme.admin.password)).status).toBe(429);
      },
      {
        throttled: ['tessera_throttled_attempts_total', { realm: 'admin-password' }],
        failed: ['tessera_secret_checks_total', { kind: 'admin-password', result: 'failed' }],
        answered429: ['tessera_http_requests_total', { operationId: 'createManagementToken', status: '429' }],
      },
    );
    expect(delta).toEqual({ throttled: 1, failed: 5, answered429: 1 });
  });

  it('counts tenant and permission cache lookups', async () => {
    const path = `/acme/app/users?client_id=${acme.app.clientId}&client_secret=${acme.app.clientSecret}`;
    const delta = await moved(
      async () => {
        await http.get('/acme/app/users', { token: acme.admin.token });
        await http.get(path);
      },
      {
        tenantHits: ['tessera_cache_lookups_total', { cache: 'tenant', result: 'hit' }],
        tenantMisses: ['tessera_cache_lookups_total', { cache: 'tenant', result: 'miss' }],
        clientOk: ['tessera_authentications_total', { scheme: 'clientCredentials', result: 'ok' }],
      },
    );
    expect(delta.tenantHits + delta.tenantMisses).toBeGreaterThanOrEqual(2);
    expect(delta.clientOk).toBe(1);
    // The permission cache is asked for an application user's or a guest's roles.
    const guest = await moved(() => http.get('/acme/app/users/nobody-here'), {
      hits: ['tessera_cache_lookups_total', { cache: 'permission', result: 'hit' }],
      misses: ['tessera_cache_lookups_total', { cache: 'permission', result: 'miss' }],
    });
    expect(guest.hits + guest.misses).toBe(1);
  });

  it('shows the database pool, the event-loop lag and the Node defaults', async () => {
    const text = await scrapeText();
    expect(text).toMatch(/^tessera_database_connections\{state="used"\} \d+$/m);
    expect(text).toMatch(/^tessera_database_connections\{state="free"\} \d+$/m);
    expect(sample(text, 'tessera_database_pool_max')).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
  });

  it('never labels by a raw path, and never shows a secret', async () => {
    await http.get('/acme/app/users/private-name-in-path', { token: acme.admin.token });
    expect((await http.get('/management/route-private-segment/a/b/c/d')).status).toBe(404);
    await http.get(`/acme/app/users?client_id=${acme.app.clientId}&client_secret=${acme.app.clientSecret}`);
    const text = await scrapeText();
    expect(sample(text, 'tessera_http_requests_total', { operationId: 'getUser', status: '404' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'tessera_http_requests_total', { operationId: 'unrouted', status: '404' })).toBeGreaterThanOrEqual(1);
    for (const secret of ['private-name-in-path', 'route-private-segment', acme.app.clientSecret, acme.app.clientId, acme.admin.token, acme.admin.password, superuser.password, metricsToken, 'acme']) {
      expect(text).not.toContain(secret);
    }
    // Every operationId label is an operationId, a route outside the spec, or `unrouted`.
    const operations = [...text.matchAll(/operationId="([^"]*)"/g)].map((m) => m[1]!);
    for (const operation of operations) expect(operation).toMatch(/^([A-Za-z]+|unrouted|\/[a-z/:.]+)$/);
  });

  it('asks for the bearer token it was given, compared as a whole', async () => {
    expect((await scrape(null)).status).toBe(401);
    expect((await scrape(`${metricsToken}x`)).status).toBe(401);
    expect((await scrape(metricsToken.slice(0, -1))).status).toBe(401);
    const refused = await scrape('wrong');
    expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect(await refused.text()).not.toContain('tessera_');
    expect((await scrape()).status).toBe(200);
    expect((await fetch(server.metricsUrl!.replace('/metrics', '/'))).status).toBe(404);
  });

  it('is not served by the API, with or without the token', async () => {
    for (const path of ['/metrics', '/metrics/', '/management/metrics']) {
      expect((await http.get(path)).status).toBe(404);
      expect((await http.get(path, { token: metricsToken })).status).toBe(404);
    }
    expect(new URL(server.metricsUrl!).port).not.toBe(new URL(server.url).port);
  });

  it('opens no listener and counts nothing when no metrics port is set', async () => {
    const before = listeningServers();
    const plain = await startTestServer({ config: { metricsHost: '0.0.0.0' } });
    try {
      expect(listeningServers()).toBe(before + 1);
      expect(plain.metricsUrl).toBeUndefined();
      expect(plain.deps.metrics).toBe(noMetrics);
      expect((await client(plain.url).get('/metrics')).status).toBe(404);
    } finally {
      await plain.close();
    }
    expect(listeningServers()).toBe(before);
  });

  it('refuses a start whose metrics settings cannot be what was meant', () => {
    expect(() => loadConfig({ TESSERA_METRICS_TOKEN: metricsToken })).toThrow(/TESSERA_METRICS_PORT is not/);
    expect(() => loadConfig({ TESSERA_METRICS_PORT: '9464', TESSERA_METRICS_TOKEN: 'short' })).toThrow(/at least 16/);
    expect(() => loadConfig({ PORT: '8080', TESSERA_METRICS_PORT: '8080' })).toThrow(/must differ from PORT/);
    expect(() => loadConfig({ TESSERA_METRICS_PORT: 'ninety' })).toThrow(/TESSERA_METRICS_PORT must be an integer/);
    expect(loadConfig({ TESSERA_METRICS_PORT: '9464' })).toMatchObject({ metricsPort: 9464, metricsHost: '127.0.0.1' });
    expect(loadConfig({}).metricsPort).toBeUndefined();
    // Beyond loopback only with a token: the metrics name every operation and count lockouts.
    expect(() => loadConfig({ TESSERA_METRICS_PORT: '9464', TESSERA_METRICS_HOST: '0.0.0.0' })).toThrow(/set TESSERA_METRICS_TOKEN too/);
    expect(loadConfig({ TESSERA_METRICS_PORT: '9464', TESSERA_METRICS_HOST: '0.0.0.0', TESSERA_METRICS_TOKEN: metricsToken }).metricsHost).toBe('0.0.0.0');
    expect(loadConfig({ TESSERA_METRICS_PORT: '9464', TESSERA_METRICS_HOST: 'localhost' }).metricsHost).toBe('localhost');
  });
});
