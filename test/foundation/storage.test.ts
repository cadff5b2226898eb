import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limitReadAtRun } from '../../src/db/knex.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('storage', () => {
  it('runs on the database DATABASE_URL names, migrated to the latest version', async () => {
    const { db } = server.deps;
    expect(db.client.config.client).toBe(server.databaseUrl.startsWith('sqlite:') ? 'better-sqlite3' : 'pg');
    for (const table of ['organizations', 'admin_users', 'applications', 'app_users', 'entities', 'tokens', 'audit_events']) {
      expect(await db.schema.hasTable(table), table).toBe(true);
    }
  });

  it('keeps the values of a failed query out of its error message (which an unexpected error logs)', async () => {
    const { db } = server.deps;
    const value = 'tsr_at_a-value-that-must-not-be-logged';
    const row = { client_id: 'YXA6storage-test', client_secret_hash: value };
    const failure = await db('organizations').insert({ ...row, name: null }).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failure?.message).toMatch(/insert into .*organizations/);
    expect(failure?.message).not.toContain(value);
  });

  it.runIf(process.env.TEST_DATABASE_URL === undefined)('keeps SQLite in WAL mode with foreign keys enforced', async () => {
    const { db } = server.deps;
    expect(await db.raw('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(await db.raw('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
  });

  it('binds a limit so that SQLite keeps the prepared statement instead of preparing it again at each run', () => {
    expect(limitReadAtRun('select * from tokens where hash = ? limit ?')).toBe('select * from tokens where hash = ? limit +?');
    expect(limitReadAtRun('select id from t order by id LIMIT ? offset ?')).toBe('select id from t order by id limit +? offset ?');
    expect(limitReadAtRun('select * from t limit 1')).toBe('select * from t limit 1');
  });

  it.runIf(process.env.TEST_DATABASE_URL === undefined)('prepares knex queries with a limit read at run time, with the same rows', async () => {
    const { db } = server.deps;
    const connection = (await db.client.acquireConnection()) as { prepare(sql: string): { source: string } };
    try {
      const sql = db('organizations').select('id').orderBy('id').limit(1).toSQL().sql;
      expect(sql).toMatch(/limit \?$/);
      // The connection's own prepare (wrapped at pool creation) is what knex calls for every query.
      expect(connection.prepare(sql).source).toMatch(/limit \+\?$/);
    } finally {
      await db.client.releaseConnection(connection);
    }
    const all = (await db('organizations').select('id').orderBy('id')) as { id: number }[];
    for (const n of [1, 2]) {
      expect(await db('organizations').select('id').orderBy('id').limit(n)).toEqual(all.slice(0, n));
    }
    expect(await db('organizations').select('id').orderBy('id').first()).toEqual(all[0]);
  });
});
