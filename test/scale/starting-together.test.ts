import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freshDatabase, queryRows } from '../helpers/database.js';
import { startInstance, type Instance } from '../helpers/instance.js';

const onPostgres = /^postgres(ql)?:\/\//.test(process.env.TEST_DATABASE_URL ?? '');

const rows = <Row extends pg.QueryResultRow>(url: string, sql: string): Promise<Row[]> => queryRows<Row>(url, sql);

describe.runIf(onPostgres)('several instances starting together on one empty PostgreSQL database', () => {
  it('migrate and seed it once: all three become ready, each migration and the demo organization exist once', async () => {
    const database = await freshDatabase();
    // What instances behind one load balancer share: the database, the server key and the superuser's password.
    const shared = {
      DATABASE_URL: database.url,
      TESSERA_SECRET_KEY: randomBytes(32).toString('hex'),
      TESSERA_SUPERUSER_PASSWORD: 'together-superuser-password',
      TESSERA_DATA_DIR: database.dataDir,
      TESSERA_DEMO: 'true',
    };
    const instances: Instance[] = [];
    try {
      for (let i = 0; i < 3; i++) instances.push(startInstance(shared));
      const urls = await Promise.all(instances.map((instance) => instance.ready));
      for (const url of urls) {
        const ready = await fetch(`${url}/readyz`);
        expect(ready.status, url).toBe(200);
        const signIn = await fetch(`${url}/management/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ grant_type: 'password', username: 'demo-admin', password: 'demo-admin-password' }),
        });
        expect(signIn.status, url).toBe(200);
      }
      const migrations = await rows<{ name: string; times: number }>(database.url, 'select name, count(*)::int as times from knex_migrations group by name');
      expect(migrations.length).toBeGreaterThan(5);
      expect(migrations.filter((m) => m.times !== 1)).toEqual([]);
      expect(await rows(database.url, "select count(*)::int as n from organizations where name = 'demo'")).toEqual([{ n: 1 }]);
      expect(await rows(database.url, 'select count(*)::int as n from admin_users where superuser')).toEqual([{ n: 1 }]);
    } finally {
      await Promise.all(instances.map((instance) => instance.stop()));
      await database.drop();
    }
    // Three real processes, each starting Node and tsx and compiling the spec: on a busy 2-core
    // machine that took over 30 s once; the budget is for the machine, the test waits only for readiness.
  }, 90_000);
});
