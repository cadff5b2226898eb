import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { ManualClock, systemClock, type Clock } from '../../src/clock.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { freshDatabase, type ScratchDatabase } from './database.js';

export const superuser = { username: 'superuser', password: 'superuser-password' };

export interface TestServer extends RunningServer {
  clock: Clock;
  config: Config;
  databaseUrl: string;
  /** Every log line the server wrote, parsed. */
  logs: Record<string, unknown>[];
  /** The raw text of the logs, for searching for secrets. */
  logText(): string;
}

/**
 * `database`: a database to start on (a restart of a server that used it); it is left for the
 * caller to drop. Without it the server gets a fresh one, dropped on close.
 */
export async function startTestServer(options: { clock?: Clock; config?: Partial<Config>; database?: ScratchDatabase } = {}): Promise<TestServer> {
  const database = options.database ?? (await freshDatabase());
  const config = loadConfig(
    {},
    {
      port: 0,
      host: '127.0.0.1',
      databaseUrl: database.url,
      dataDir: database.dataDir,
      secretKey: randomBytes(32).toString('hex'),
      superuserUsername: superuser.username,
      superuserPassword: superuser.password,
      validateResponses: true,
      scryptCost: 1024,
      logLevel: 'info',
      // Tests sweep when they mean to (`server.sweep()`), so a timer never deletes rows under a test that moved its clock.
      purgeIntervalMs: 0,
      // Each test file starts its own servers and calls a few operations: compiling the validators
      // of the others was 40% of a start. The contract run and the real starts compile them all.
      compileValidatorsAtStart: false,
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
      if (!options.database) await database.drop();
    },
  };
}

/** Two servers on one fresh database, sharing the server key, as instances behind a load balancer are. */
export interface TwoInstances {
  a: TestServer;
  b: TestServer;
  database: ScratchDatabase;
  close(): Promise<void>;
}

export async function startTwoInstances(options: { clock?: Clock } = {}): Promise<TwoInstances> {
  const database = await freshDatabase();
  const config = { secretKey: randomBytes(32).toString('hex') };
  const a = await startTestServer({ ...options, config, database });
  const b = await startTestServer({ ...options, config, database });
  return {
    a,
    b,
    database,
    close: async () => {
      await a.close();
      await b.close();
      await database.drop();
    },
  };
}

export { ManualClock, systemClock };
