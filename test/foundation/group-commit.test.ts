import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUniqueViolation } from '../../src/db/duplicates.js';
import { write } from '../../src/db/knex.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

// Group commit is SQLite's (src/db/knex.ts `GroupCommit`); on PostgreSQL `write` is knex.raw.
const sqlite = process.env.TEST_DATABASE_URL === undefined;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await server.deps.db.raw('create table group_commit_probe (id integer primary key, v text not null unique)');
});
afterAll(() => server.close());

const insert = (v: string) => write<{ id: number; v: string }>(server.deps.db, 'insert into group_commit_probe (v) values (?) returning id, v', [v]);

/** Frames in SQLite's WAL: every commit appends each page it changed, plus its own. */
async function walFrames(): Promise<number> {
  const [row] = (await server.deps.db.raw('PRAGMA wal_checkpoint(PASSIVE)')) as { log: number }[];
  return row!.log;
}

describe.runIf(sqlite)('group commit of hot writes (SQLite)', () => {
  it('commits writes asked for together once, each answered with its own rows', async () => {
    await server.deps.db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
    const before = await walFrames();
    const values = Array.from({ length: 40 }, (_, i) => `together-${i}`);
    const rows = await Promise.all(values.map(insert));
    expect(rows.map(([row]) => row!.v)).toEqual(values);
    expect(new Set(rows.map(([row]) => row!.id)).size).toBe(values.length);
    // 40 commits would append at least 40 frames (the table's page, its index's, again and again);
    // one commit appends each changed page once. Other work of the test server may add a few.
    expect((await walFrames()) - before).toBeLessThan(20);
  });

  it('fails only the write a unique index refuses; the others of its group are kept', async () => {
    await insert('taken');
    const outcomes = await Promise.allSettled([insert('fresh-1'), insert('taken'), insert('fresh-2')]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(isUniqueViolation((outcomes[1] as PromiseRejectedResult).reason)).toBe(true);
    const kept = (await server.deps.db('group_commit_probe').whereIn('v', ['fresh-1', 'fresh-2']).select('v')) as { v: string }[];
    expect(kept.map((r) => r.v).sort()).toEqual(['fresh-1', 'fresh-2']);
  });

  it('leaves a write inside a transaction to that transaction', async () => {
    await server.deps.db
      .transaction(async (trx) => {
        await write(trx, 'insert into group_commit_probe (v) values (?)', ['rolled-back']);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await server.deps.db('group_commit_probe').where({ v: 'rolled-back' }).first()).toBeUndefined();
  });
});
