import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../src/db/knex.js';
import { freshDatabase } from '../helpers/database.js';
import { DatabaseProxy, familyRequests } from '../helpers/database-proxy.js';
import { eventually, startInstance, type Instance } from '../helpers/instance.js';

const onPostgres = /^postgres(ql)?:\/\//.test(process.env.TEST_DATABASE_URL ?? '');

describe('what counts as the database being unavailable (a 503, not a 500)', () => {
  it('knows a broken pooled connection under a query, as knex reports it (the SQL text first), a refused or timed-out connection, and PostgreSQL shutting down', () => {
    const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
    expect(isDatabaseUnavailable(new Error('select * from "admin_users" where lower(username) = $1 limit $2 - Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], 'connect failed'))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), { name: 'KnexTimeoutError' }))).toBe(true);
    expect(isDatabaseUnavailable(withCode('terminating connection due to administrator command', '57P01'))).toBe(true);
    expect(isDatabaseUnavailable(withCode('canceling statement due to statement timeout', '57014'))).toBe(true);
    expect(isDatabaseUnavailable(withCode('duplicate key value violates unique constraint', '23505'))).toBe(false);
    expect(isDatabaseUnavailable(new Error('Cannot read properties of undefined'))).toBe(false);
  });
});

describe.runIf(onPostgres)('a PostgreSQL outage', () => {
  it('is answered 503 with Retry-After in each family\'s shape within a bound, never a 500 nor a hang, and the instance recovers by itself', async () => {
    const database = await freshDatabase();
    const target = new URL(database.url);
    const proxy = new DatabaseProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.open();
    const viaProxy = new URL(database.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    let instance: Instance | undefined;
    try {
      instance = startInstance({
        DATABASE_URL: viaProxy.toString(),
        TESSERA_SECRET_KEY: randomBytes(32).toString('hex'),
        TESSERA_SUPERUSER_PASSWORD: 'outage-superuser-password',
        TESSERA_DATA_DIR: database.dataDir,
        TESSERA_DEMO: 'true',
        TESSERA_DATABASE_CONNECT_TIMEOUT_MS: '1000',
      });
      const url = await instance.ready;
      const output = instance.output();
      const requests = familyRequests(url, { applicationId: /application_id=(\d+)/.exec(output)![1]!, authKey: /auth_key=(\S+)/.exec(output)![1]! });
      for (const [family, request] of Object.entries(requests)) expect((await request()).status, family).toBeLessThan(300);

      await proxy.cut();
      // A client waits at most the connect timeout (1 s) and some slack on a busy machine.
      const bound = 4000;
      const timed = async (request: () => Promise<Response>) => {
        const started = Date.now();
        const response = await request();
        return { response, body: (await response.json()) as Record<string, unknown>, took: Date.now() - started };
      };
      // Twice each: the first meets the pooled connections the cut broke, the second a refused new one.
      for (let round = 0; round < 2; round++) {
        const usergrid = await timed(requests.usergrid);
        expect(usergrid.response.status).toBe(503);
        expect(Number(usergrid.response.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(usergrid.body).toMatchObject({ error: 'temporarily_unavailable', error_description: expect.any(String), timestamp: expect.any(Number), duration: expect.any(Number) });
        expect(usergrid.took).toBeLessThan(bound);

        const oauth = await timed(requests.oauth);
        expect(oauth.response.status).toBe(503);
        expect(Number(oauth.response.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(oauth.body).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });
        expect(oauth.took).toBeLessThan(bound);

        const quickblox = await timed(requests.quickblox);
        expect(quickblox.response.status).toBe(503);
        expect(Number(quickblox.response.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(quickblox.body).toEqual({ errors: { base: [expect.any(String)] } });
        expect(quickblox.took).toBeLessThan(bound);
      }
      const notReady = await timed(() => fetch(`${url}/readyz`));
      expect(notReady.response.status).toBe(503);
      expect(notReady.response.headers.get('retry-after')).toBeTruthy();
      expect(notReady.took).toBeLessThan(bound);

      await proxy.restore();
      await eventually(async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined), 10_000, 'ready again');
      for (const [family, request] of Object.entries(requests)) {
        await eventually(async () => ((await request()).status < 300 ? true : undefined), 10_000, `${family} answers again`);
      }
      expect(instance.output()).not.toMatch(/"statusCode":500|unhandled error|Tessera could not start/);
      // knex's own console lines (stacks, unredacted) stay out of the output: each failure is one log line.
      expect(instance.output()).not.toMatch(/Acquire connection error|Connection Error:/);
    } finally {
      await instance?.stop();
      await proxy.cut();
      await database.drop();
    }
  }, 30_000);
});
