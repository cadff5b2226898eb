import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('storage', () => {
  it('runs on the database DATABASE_URL names, migrated to the latest version', async () => {
    const { db } = server.deps;
    expect(db.client.config.client).toBe(server.databaseUrl.startsWith('sqlite:') ? 'sqlite3' : 'pg');
    for (const table of ['organizations', 'admin_users', 'applications', 'app_users', 'entities', 'tokens', 'audit_events']) {
      expect(await db.schema.hasTable(table), table).toBe(true);
    }
  });

  it.runIf(process.env.TEST_DATABASE_URL === undefined)('keeps SQLite in WAL mode with foreign keys enforced', async () => {
    const { db } = server.deps;
    expect(await db.raw('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(await db.raw('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
  });
});
