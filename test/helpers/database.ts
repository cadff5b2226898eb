import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** A database nobody else uses, and the folder beside it (the server's data directory). */
export interface ScratchDatabase {
  url: string;
  dataDir: string;
  /** Drops the database (on PostgreSQL) and removes the folder. */
  drop(): Promise<void>;
}

/** Runs one statement on the PostgreSQL server `base` names (CREATE/DROP DATABASE cannot run in a transaction). */
async function onServer(base: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The rows of one query on a PostgreSQL database, on a connection of its own (what a test reads beside the servers under test). */
export async function queryRows<Row extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/**
 * A fresh database for one test server or one contract run: a temporary SQLite file, or, when
 * `base` is a postgres:// URL, a new `tessera_<purpose>_<random>` database on that server.
 */
export async function freshDatabase(purpose: 'test' | 'contract' = 'test', base = process.env.TEST_DATABASE_URL): Promise<ScratchDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `tessera-${purpose}-`));
  const removeDir = () => fs.rmSync(dataDir, { recursive: true, force: true });
  if (!base || !/^postgres(ql)?:\/\//.test(base)) {
    return { url: `sqlite:${path.join(dataDir, `${purpose}.sqlite`)}`, dataDir, drop: async () => removeDir() };
  }
  const name = `tessera_${purpose}_${crypto.randomBytes(6).toString('hex')}`;
  try {
    await onServer(base, `create database ${name}`);
  } catch (error) {
    removeDir();
    throw error;
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dataDir,
    drop: async () => {
      try {
        await onServer(base, `drop database if exists ${name} with (force)`);
      } finally {
        removeDir();
      }
    },
  };
}
