import fs from 'node:fs';
import { loadConfig } from '../config.js';
import type { Database } from '../db/knex.js';
import { migrations } from '../db/migrations/index.js';
import { exitCodes, type Command } from './command.js';

/**
 * Opens the configured database for a command, and closes it whatever happens. The database
 * clients (knex, pg) are loaded here, not with the command table: they are a quarter of the start of
 * every command, and the commands that talk to a server never use them.
 */
export async function withDatabase<T>(env: NodeJS.ProcessEnv, work: (db: Database, databaseUrl: string) => Promise<T>): Promise<T> {
  const config = loadConfig(env);
  const { openDatabase } = await import('../db/knex.js');
  const db = openDatabase(config.databaseUrl, { poolSize: 2, connectMs: config.databaseConnectTimeoutMs, statementMs: config.databaseStatementTimeoutMs, log: () => {} });
  try {
    return await work(db, config.databaseUrl);
  } finally {
    await db.destroy();
  }
}

/** The migrations not yet run; every one when the database was never migrated (no SQLite file is created to find out). */
async function pending(env: NodeJS.ProcessEnv): Promise<string[]> {
  const { databaseUrl } = loadConfig(env);
  const file = databaseUrl.startsWith('sqlite:') ? databaseUrl.slice('sqlite:'.length) : undefined;
  if (file !== undefined && file !== ':memory:' && !fs.existsSync(file)) return Object.keys(migrations);
  const { pendingMigrations } = await import('../db/knex.js');
  return withDatabase(env, pendingMigrations);
}

export const migrateStatus: Command = {
  name: ['migrate', 'status'],
  summary: 'List the applied and pending migrations of the configured database',
  details: `Reads DATABASE_URL (or TESSERA_DATA_DIR's SQLite file) and changes nothing.
Exit codes: 0 when the schema is current, ${exitCodes.pending} when migrations are pending, 1 when the database cannot be read.`,
  async run(_options, env) {
    const waiting = new Set(await pending(env));
    for (const name of Object.keys(migrations)) process.stdout.write(`${waiting.has(name) ? 'pending' : 'applied'}  ${name}\n`);
    process.stdout.write(waiting.size ? `${waiting.size} pending: run tessera migrate up\n` : 'the schema is current\n');
    return waiting.size ? exitCodes.pending : exitCodes.ok;
  },
};

export const migrateUp: Command = {
  name: ['migrate', 'up'],
  summary: 'Apply the pending migrations',
  details: `Safe while other instances run or start: on PostgreSQL it holds the start-up lock, so migrations run once.
\`tessera serve\` also migrates at start; this runs them ahead of a deploy.`,
  async run(_options, env) {
    const before = await pending(env);
    const [{ migrate }, { withStartupLock }] = await Promise.all([import('../db/knex.js'), import('../db/startup-lock.js')]);
    await withDatabase(env, (db, url) => withStartupLock(url, () => migrate(db)));
    process.stdout.write(before.length ? before.map((name) => `applied  ${name}\n`).join('') : 'the schema was already current\n');
    return exitCodes.ok;
  },
};
