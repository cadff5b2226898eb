import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import knexFactory from 'knex';
import { ManualClock, systemClock, type Clock } from '../../src/clock.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';

export const superuser = { username: 'superuser', password: 'superuser-password' };

/**
 * A fresh database for one test server: a temporary SQLite file, or, when `TEST_DATABASE_URL`
 * names a PostgreSQL server, a new database on it that is dropped afterwards.
 */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void>; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-test-'));
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    return { url: `sqlite:${path.join(dir, 'test.sqlite')}`, dir, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `tessera_test_${randomBytes(6).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: base, pool: { min: 0, max: 1 } });
  await admin.raw(`create database ${name}`);
  await admin.destroy();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dir,
    drop: async () => {
      const cleanup = knexFactory({ client: 'pg', connection: base, pool: { min: 0, max: 1 } });
      await cleanup.raw(`drop database if exists ${name} with (force)`);
      await cleanup.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestServer extends RunningServer {
  clock: Clock;
  config: Config;
  databaseUrl: string;
  /** Every log line the server wrote, parsed. */
  logs: Record<string, unknown>[];
  /** The raw text of the logs, for searching for secrets. */
  logText(): string;
}

export async function startTestServer(options: { clock?: Clock; config?: Partial<Config> } = {}): Promise<TestServer> {
  const database = await freshDatabase();
  const config = loadConfig(
    {},
    {
      port: 0,
      host: '127.0.0.1',
      databaseUrl: database.url,
      dataDir: database.dir,
      secretKey: randomBytes(32).toString('hex'),
      superuserUsername: superuser.username,
      superuserPassword: superuser.password,
      validateResponses: true,
      scryptCost: 1024,
      logLevel: 'info',
      // Tests sweep when they mean to (`server.sweep()`), so a timer never deletes rows under a test that moved its clock.
      purgeIntervalMs: 0,
      ...options.config,
    },
  );
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const clock = options.clock ?? systemClock;
  const server = await startServer(config, { clock, logger: createLogger(config.logLevel, sink) });
  return {
    ...server,
    clock,
    config,
    databaseUrl: database.url,
    get logs() {
      return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    logText: () => lines.join('\n'),
    close: async () => {
      await server.close();
      await database.drop();
    },
  };
}

export { ManualClock };
