import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { buildApp } from './app.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { migrate, openDatabase } from './db/knex.js';
import { holdInstanceLock, type InstanceLock } from './db/instance-lock.js';
import { withStartupLock } from './db/startup-lock.js';
import { createDeps, type Deps } from './deps.js';
import { ensureSuperuser } from './domain/admin-users.js';
import { createLogger, prettyDestination } from './logger.js';
import { prometheusMetrics, startMetricsListener, type MetricsListener } from './prometheus.js';
import { seedDemo, type DemoSummary } from './seed/demo.js';
import { checkServerKey } from './db/server-key.js';
import { decodePreviousKeys, readServerKey, saveServerKey, SecretBox } from './secrets/secret-box.js';
import { Sweeper, type SweepResult } from './sweep.js';

export interface RunningServer {
  url: string;
  deps: Deps;
  /** Set when the superuser was created on this start without a configured password. */
  generatedSuperuserPassword?: string;
  /** Where Prometheus scrapes this instance's metrics, when `config.metricsPort` is set. */
  metricsUrl?: string;
  /** What the demo seed made, when `config.demo`. */
  demo?: DemoSummary;
  /** Deletes what can no longer matter now (dead tokens, old nonces); also runs every `purgeIntervalMs`. */
  sweep(): Promise<SweepResult>;
  /** Stops accepting requests, finishes those under way, writes pending token state, closes the database. */
  close(): Promise<void>;
}

/**
 * Opens the database, migrates it, starts listening, makes sure the superuser exists and seeds the
 * demo when asked. On PostgreSQL the start-up work holds an advisory lock, so instances starting
 * together migrate and seed once; `/readyz` answers 503 until it is over.
 */
export async function startServer(config: Config, options: { clock?: Clock; logger?: Logger } = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel, config.logFormat === 'pretty' ? prettyDestination() : undefined);
  // Before the database is opened: a second server on a SQLite file is refused before it changes anything.
  const instanceLock = holdInstanceLock(config.databaseUrl);
  const db = openDatabase(config.databaseUrl, {
    poolSize: config.databasePoolSize, connectMs: config.databaseConnectTimeoutMs, statementMs: config.databaseStatementTimeoutMs,
    log: (message) => logger.debug({ knex: message instanceof Error ? message.message : String(message) }, 'database client'),
  });
  let started = false;
  // Metrics only when asked for: without them every event goes to `noMetrics` and no port is opened.
  const prometheus = config.metricsPort === undefined ? undefined : prometheusMetrics(db);
  // Known outside the lock's work, so that a failed start closes the change feed it opened.
  let opened: Deps | undefined;
  let metricsListener: MetricsListener | undefined;
  const { deps, server, superuser, demo } = await withStartupLock(config.databaseUrl, async () => {
    await migrate(db);
    const clock = options.clock ?? systemClock;
    // A key generated on a first start is saved only once the database accepted it: a start refused
    // for another database's key leaves no wrong key in the data folder for the next start to read.
    const configured = readServerKey(config.secretKey, config.dataDir);
    const key = configured ?? randomBytes(32);
    const secretBox = new SecretBox(key, decodePreviousKeys(config.previousSecretKeys));
    await checkServerKey(db, secretBox, clock.now(), () => {
      if (!configured) saveServerKey(key, config.dataDir);
    });
    const deps = (opened = createDeps({ config, clock, logger, db, secretBox, ...(prometheus && { metrics: prometheus.metrics }) }));
    const app = await buildApp(deps, { started: () => started });
    const server = http.createServer(app.callback());
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    if (prometheus) {
      metricsListener = await startMetricsListener(config, prometheus.registry).catch((error: unknown) => {
        server.close();
        throw new Error(`could not serve metrics on ${config.metricsHost}:${config.metricsPort} (TESSERA_METRICS_PORT): ${error instanceof Error ? error.message : String(error)}`);
      });
    }
    // Only once listening: a start that fails before (a port in use) must not create a superuser
    // whose generated password nobody ever saw.
    const superuser = await ensureSuperuser(deps);
    const demo = config.demo ? await seedDemo(deps) : undefined;
    return { deps, server, superuser, demo };
  }).catch(async (error: unknown) => {
    await metricsListener?.close();
    await opened?.changeFeed.close();
    await db.destroy();
    instanceLock?.release();
    throw error;
  });
  started = true;
  const sweeper = new Sweeper(deps);
  sweeper.start();
  const lockWatch = instanceLock && watchInstanceLock(instanceLock, deps.logger);
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    deps,
    ...(superuser.generatedPassword && { generatedSuperuserPassword: superuser.generatedPassword }),
    ...(demo && { demo }),
    ...(metricsListener && { metricsUrl: metricsListener.url }),
    sweep: () => sweeper.sweep(),
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        // Scraped until the API stopped answering, so the last scrape counts every request answered.
        await metricsListener?.close();
        await sweeper.stop();
        if (lockWatch) clearInterval(lockWatch);
        await deps.tokens.flush();
        await deps.changeFeed.close();
        await db.destroy();
        instanceLock?.release();
        // The access log is written behind too (logger.ts): every answered request keeps its line.
        await new Promise<void>((resolve) => logger.flush(() => resolve()));
      })();
      return closing;
    },
  };
}

/** How often a running server makes sure its SQLite instance lock is still its own. */
const instanceLockCheckMs = 5000;

/**
 * Every few seconds, that the instance lock's file is still the one locked (`InstanceLock.recheck`):
 * a removed lock file is taken again (a warning), and a second server that got in meanwhile is an
 * error, said at every check for as long as it lasts.
 */
function watchInstanceLock(lock: InstanceLock, logger: Logger): NodeJS.Timeout {
  const timer = setInterval(() => {
    try {
      const state = lock.recheck();
      if (state === 'retaken') logger.warn({ lockFile: lock.lockFile }, 'the SQLite instance lock file was removed or replaced; this server holds it again');
      if (state === 'lost') logger.error({ lockFile: lock.lockFile }, 'the SQLite instance lock file was replaced and another server holds it: two servers share this database; stop one');
    } catch (error) {
      logger.error({ err: error, lockFile: lock.lockFile }, 'could not check the SQLite instance lock');
    }
  }, instanceLockCheckMs);
  timer.unref();
  return timer;
}
