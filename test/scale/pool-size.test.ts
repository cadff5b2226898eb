import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/knex.js';
import { freshDatabase, type ScratchDatabase } from '../helpers/database.js';

const onPostgres = /^postgres(ql)?:\/\//.test(process.env.TEST_DATABASE_URL ?? '');

describe('the PostgreSQL pool size (TESSERA_DATABASE_POOL_SIZE)', () => {
  it('is 10 unless set, and a value that is not a count from 1 to 1000 stops the start naming the variable', () => {
    expect(loadConfig({}).databasePoolSize).toBe(10);
    expect(loadConfig({ TESSERA_DATABASE_POOL_SIZE: '24' }).databasePoolSize).toBe(24);
    for (const wrong of ['0', '-1', '2.5', 'ten', '1001']) {
      expect(() => loadConfig({ TESSERA_DATABASE_POOL_SIZE: wrong })).toThrow(/TESSERA_DATABASE_POOL_SIZE must be an integer from 1 to 1000/);
    }
  });

  describe.runIf(onPostgres)('on PostgreSQL', () => {
    let database: ScratchDatabase;
    let db: Database;
    beforeAll(async () => {
      database = await freshDatabase();
      db = openDatabase(database.url, { poolSize: 2, connectMs: 5000, statementMs: 30_000 });
    });
    afterAll(async () => {
      await db?.destroy();
      await database?.drop();
    });

    it('never holds more connections than it is given, however many queries run at once', async () => {
      const backends = await Promise.all(
        Array.from({ length: 6 }, async () => {
          const { rows } = await db.raw<{ rows: { pid: number }[] }>('select pg_backend_pid() as pid, pg_sleep(0.1)');
          return rows[0]!.pid;
        }),
      );
      expect(new Set(backends).size).toBe(2);
    });
  });
});
