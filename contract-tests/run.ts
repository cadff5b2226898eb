/**
 * `npm run test:contract`: every operation and response code of openapi.yaml, run by Dredd against
 * the real server on a database of its own.
 *
 * 1. a fresh database: a temporary SQLite file, or a new `tessera_contract_<random>` database when
 *    `TEST_DATABASE_URL` (or `DATABASE_URL`) is a postgres:// URL;
 * 2. `server.ts` in a child process, which seeds the demo organization and reports over IPC;
 * 3. Dredd (its JS API, so the statistics are at hand) with the hooks in `hooks/*.cts`;
 * 4. the verdict, then the server stopped and the database dropped, whatever happened.
 *
 * It fails when a transaction fails, errs or is skipped: a skipped transaction is an untested one.
 * Environment: CONTRACT_PORT (default 0, any free port), DREDD_LOGLEVEL (default `error`; `warn`
 * shows Dredd's notes on the spec, and why a hook file would not load).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { declaredPairs, recordOutcomes, reportCoverage } from './coverage.js';
import { freshDatabase, type ScratchDatabase } from '../test/helpers/database.js';
import type { ContractSeed } from './server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

interface Server {
  seed: ContractSeed;
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** Starts `server.ts` (node + tsx, no npm or tsx wrapper in between, so signals and IPC reach it). */
async function startServer(database: ScratchDatabase): Promise<Server> {
  const child = fork(path.join(root, 'contract-tests', 'server.ts'), [], {
    cwd: root,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, DATABASE_URL: database.url, TESSERA_DATA_DIR: database.dataDir, PORT: process.env.CONTRACT_PORT ?? '0' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited(child);
      clearTimeout(killer);
    }
  };
  const seed = await new Promise<ContractSeed>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the contract server did not start within 30 s')), 30_000);
    child.once('message', (message: { ready?: ContractSeed }) => {
      clearTimeout(timer);
      if (message.ready) resolve(message.ready);
      else reject(new Error(`unexpected message from the contract server: ${JSON.stringify(message)}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the contract server exited before it was ready (${signal ?? `code ${code}`})`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { seed, stop };
}

interface DreddStats {
  tests: number;
  failures: number;
  errors: number;
  passes: number;
  skipped: number;
  /** The share of declared (operationId, status) pairs that ran and passed. */
  coverage: number;
}

/** Dredd is CommonJS; its hook files (.cts) load through tsx's require hook, which `tsx` installed for us. */
function runDredd(endpoint: string): Promise<DreddStats> {
  type Emitter = Parameters<typeof recordOutcomes>[0];
  const Dredd = require('dredd') as new (config: object) => {
    configuration: { emitter: Emitter };
    run(callback: (error: Error | null, stats: Omit<DreddStats, 'coverage'>) => void): void;
  };
  const specFile = path.join(root, 'openapi.yaml');
  const dredd = new Dredd({
    endpoint,
    path: [specFile],
    hookfiles: [path.join(root, 'contract-tests', 'hooks', '*.cts')],
    loglevel: process.env.DREDD_LOGLEVEL ?? 'error',
  });
  const outcomes = recordOutcomes(dredd.configuration.emitter);
  return new Promise((resolve, reject) =>
    dredd.run((error, stats) => {
      if (error) return reject(error);
      const coverage = reportCoverage(declaredPairs(specFile), outcomes.outcomeOf, (text) => process.stdout.write(text));
      resolve({ ...stats, coverage });
    }),
  );
}

function verdict(stats: DreddStats): string[] {
  const problems: string[] = [];
  if (stats.tests === 0) problems.push('Dredd ran no transactions');
  if (stats.failures) problems.push(`${stats.failures} failing`);
  if (stats.errors) problems.push(`${stats.errors} with errors`);
  if (stats.skipped) problems.push(`${stats.skipped} skipped (every transaction must run)`);
  if (stats.coverage < 1) problems.push(`coverage ${(stats.coverage * 100).toFixed(1)}% of the declared (operationId, status) pairs`);
  return problems;
}

async function main(): Promise<number> {
  const started = Date.now();
  const cleanups: (() => Promise<void>)[] = [];
  // Ctrl-C or a CI timeout: stop the server, so Dredd's remaining requests fail at once and the run
  // ends through the same `finally` as always (which drops the database), rather than exiting here.
  let interrupted: NodeJS.Signals | undefined;
  let stopServer: (() => Promise<void>) | undefined;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupted = signal;
      process.stderr.write(`\nContract tests interrupted (${signal}); cleaning up.\n`);
      void stopServer?.();
    });
  }
  const checkInterrupted = () => {
    if (interrupted) throw new Error(`interrupted by ${interrupted}`);
  };
  try {
    const database = await freshDatabase('contract', process.env.TEST_DATABASE_URL || process.env.DATABASE_URL);
    cleanups.push(database.drop);
    checkInterrupted();
    const server = await startServer(database);
    cleanups.push((stopServer = server.stop));
    checkInterrupted();
    process.env.TESSERA_CONTRACT_SEED = JSON.stringify(server.seed);
    const stats = await runDredd(server.seed.url);
    checkInterrupted();
    const problems = verdict(stats);
    const where = database.url.startsWith('sqlite:') ? 'SQLite' : 'PostgreSQL';
    const took = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      problems.length
        ? `\nContract tests FAILED on ${where}: ${problems.join(', ')} of ${stats.tests} (${took} s).\n`
        : `\nContract tests passed on ${where}: ${stats.passes} of ${stats.tests} transactions (${took} s).\n`,
    );
    return problems.length ? 1 : 0;
  } catch (error) {
    const detail = error instanceof Error ? (interrupted ? error.message : (error.stack ?? error.message)) : String(error);
    process.stderr.write(`\nContract tests could not run: ${detail}\n`);
    return interrupted ? 130 : 1;
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => process.stderr.write(`contract tests: cleanup failed: ${String(error)}\n`));
    }
  }
}

// Exit explicitly: Dredd's logger and reporters may keep handles open after the run.
main().then((code) => process.exit(code));
