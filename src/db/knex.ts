import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { migrations } from './migrations/index.js';

export type Database = Knex;

// PostgreSQL returns int8 (our millisecond timestamps, count(*)) as strings by default; every value
// we store fits in a double, so read them as numbers, as SQLite does.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

/**
 * Knex writes a failed query into its error message with the values filled in; those values are
 * stored hashes, sealed secrets and users' data, and an unexpected error is logged. With this off
 * the message keeps the placeholders (`values (?)`) and the driver's reason.
 */
const shared = { compileSqlOnError: false } as const;

/** Opens `sqlite:<path>` (WAL, foreign keys on) or `postgres://…`. */
export function openDatabase(url: string): Database {
  if (url.startsWith('sqlite:')) {
    const filename = url.slice('sqlite:'.length) || ':memory:';
    if (filename !== ':memory:') {
      // The file holds password hashes and users' data: only its owner reads it. A new folder is
      // the owner's alone; a new file is made 0600 before SQLite opens it (SQLite gives its -wal
      // and -shm files the permissions of the database file).
      fs.mkdirSync(path.dirname(path.resolve(filename)), { recursive: true, mode: 0o700 });
      fs.closeSync(fs.openSync(filename, 'a', 0o600));
    }
    return knexFactory({
      ...shared,
      client: 'sqlite3',
      connection: { filename },
      useNullAsDefault: true,
      // One connection: SQLite serialises writers anyway, and one connection keeps transactions
      // from failing with SQLITE_BUSY under concurrent requests.
      pool: {
        min: 1,
        max: 1,
        afterCreate(conn: { run(sql: string, cb: (err: Error | null) => void): void }, done: (err: Error | null, conn: unknown) => void) {
          conn.run('PRAGMA journal_mode = WAL', (walError) => {
            if (walError) return done(walError, conn);
            conn.run('PRAGMA foreign_keys = ON', (fkError) => {
              if (fkError) return done(fkError, conn);
              conn.run('PRAGMA busy_timeout = 5000', (busyError) => done(busyError, conn));
            });
          });
        },
      },
    });
  }
  return knexFactory({ ...shared, client: 'pg', connection: url, pool: { min: 0, max: 10 } });
}

export async function migrate(db: Database): Promise<void> {
  await db.migrate.latest({ migrationSource: migrationSource });
}

const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name]!,
};

/** True when a write failed on a unique index, on either database. */
/**
 * PostgreSQL refused a value as a value (SQLSTATE class 22, "data exception": a number out of its
 * column's range, a byte sequence its encoding cannot hold…): the request asked for something that
 * cannot exist, which is the caller's mistake, not the server's. SQLite stores such values as given.
 */
export function isDataException(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}

export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; errno?: number; message?: string };
  return e?.code === '23505' || (e?.code === 'SQLITE_CONSTRAINT' && /UNIQUE/i.test(e.message ?? ''));
}

/**
 * SQL for the length in bytes of a text column (SQLite's `length` counts characters in text, so
 * cast to a blob). `column` is a name written in code, never a value from a request.
 */
export function byteLengthSql(db: Knex, column: string): string {
  return db.client.config.client === 'pg' ? `octet_length(${column})` : `length(cast(${column} as blob))`;
}
