/**
 * `npm run bench`: how much an authenticated request costs Tessera, next to bare Koa (issue 12).
 *
 * Starts Tessera as a user does (`node --import tsx src/main.ts --demo`: the SQLite default in a
 * temporary data folder, or, when DATABASE_URL names a PostgreSQL server, a fresh database on it,
 * dropped afterwards), and the floor (scripts/bench/floor.mjs: bare Koa, one handler, a small JSON
 * body). Sets up credentials over HTTP, from the start banner, as a client would. Then, for each
 * workload and each round, drives the floor and Tessera in turn (which goes first alternates) from
 * a separate load-generator process (scripts/bench/load.mjs, autocannon), both with the very same
 * requests, reading each server's CPU time (utime + stime, /proc/<pid>/stat) before and after each
 * run. Prints a table per workload (medians over the rounds; ratio = median of the per-pair ratios
 * Tessera req/s ÷ floor req/s; issue 12's target and whether it is met) and a summary, and writes
 * the raw figures to JSON. Any answer that is not 2xx stops the run, printing the first one: a
 * benchmark of 401s is worthless.
 *
 * On `w0-qb-session` a third server runs in each round, right after the floor: the reference
 * (scripts/bench/reference.mjs: Koa, one access-log line, the token's digest in a Map, the headers
 * and body Tessera answered with). It is the least work any authentication server does on that
 * request, so its ratio to the floor is how close to the floor such a server can come on this
 * machine, with this load generator.
 *
 *   npm run bench -- [options]
 *     --rounds N            pairs per workload (3)
 *     --seconds S           length of each run (8)
 *     --connections C       concurrent connections of the load generator (50)
 *     --warmup S            unmeasured run of each server before a workload's rounds (1; 0: none)
 *     --only REGEX          workloads whose id matches: w0-introspect w0-qb-session w1-bearer
 *                           w1-access-token-query w1-api-token w1-client-query w1-qb-users
 *                           w1-bearer-rotating w2-oauth-cc w2-usergrid-cc w3-qb-signed-session
 *                           pw-usergrid pw-oauth (the last two: password grants, reported, no target)
 *     --rotating-tokens N   distinct user tokens w1-bearer-rotating goes through (10000)
 *     --live-tokens N       insert N more live token rows into the database first (0; e.g. 1000000)
 *     --json FILE           raw figures (bench-results/<timestamp>.json)
 *     --keep                keep the temporary data folder (access log, server stderr, database)
 *     --smoke               1 round of 1 s, no warm-up, four workloads (unless --only): a quick check
 *
 * Linux only (/proc). Speed is measured here, never asserted in a test.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import knexFactory, { type Knex } from 'knex';
import { defaults, loadConfig } from '../../src/config.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// ---------------------------------------------------------------------------------------------
// Options

interface Options {
  rounds: number;
  seconds: number;
  connections: number;
  warmup: number;
  only: RegExp | undefined;
  rotatingTokens: number;
  liveTokens: number;
  json: string | undefined;
  keep: boolean;
  smoke: boolean;
}

function parseOptions(argv: string[]): Options {
  const smoke = argv.includes('--smoke');
  const o: Options = {
    rounds: smoke ? 1 : 3,
    seconds: smoke ? 1 : 8,
    connections: 50,
    warmup: smoke ? 0 : 1,
    // The smoke run: a few fast workloads, one of each kind of request the load generator builds.
    only: smoke ? /^(w0-qb-session|w1-bearer|w2-usergrid-cc|w3-qb-signed-session)$/ : undefined,
    rotatingTokens: smoke ? 200 : 10_000,
    liveTokens: 0,
    json: undefined,
    keep: false,
    smoke,
  };
  const number = (name: string, value: string | undefined, min: number): number => {
    const n = Number(value);
    if (value === undefined || !Number.isFinite(n) || n < min) throw new BenchFailure(`${name} needs a number ≥ ${min}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => argv[++i];
    switch (arg) {
      case '--smoke': break;
      case '--rounds': o.rounds = Math.floor(number(arg, value(), 1)); break;
      case '--seconds': o.seconds = number(arg, value(), 1); break;
      case '--connections': o.connections = Math.floor(number(arg, value(), 1)); break;
      case '--warmup': o.warmup = number(arg, value(), 0); break;
      case '--only': o.only = new RegExp(value() ?? ''); break;
      case '--rotating-tokens': o.rotatingTokens = Math.floor(number(arg, value(), 1)); break;
      case '--live-tokens': o.liveTokens = Math.floor(number(arg, value(), 0)); break;
      case '--json': o.json = value(); break;
      case '--keep': o.keep = true; break;
      case '--help': case '-h':
        process.stdout.write(`${fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split(' */')[0]!.replace(/^\/\*\*\n/, '').replace(/^ \* ?/gm, '')}\n`);
        process.exit(0);
      default: throw new BenchFailure(`unknown option ${arg} (try --help)`);
    }
  }
  return o;
}

// ---------------------------------------------------------------------------------------------
// Processes, /proc

const clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** Processes this run started and depends on, by pid, to say which one went away and how. */
const watched = new Map<number, { name: string; child: ChildProcess }>();

function watch(name: string, child: ChildProcess): void {
  watched.set(child.pid!, { name, child });
}

/** utime + stime of a process (all its threads), in clock ticks: /proc/<pid>/stat fields 14 and 15. */
function cpuTicks(pid: number): number {
  const w = watched.get(pid);
  if (w && (w.child.exitCode !== null || w.child.signalCode !== null)) {
    throw new BenchFailure(`${w.name} (pid ${pid}) ended during the run (exit ${w.child.exitCode ?? w.child.signalCode}); stopped from outside, or crashed: see its stderr`);
  }
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
  return Number(fields[11]) + Number(fields[12]);
}

/** Resident set size of a process, bytes (/proc/<pid>/status VmRSS). */
function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : NaN;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stop(child: ChildProcess | undefined, graceMs = 15_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(timer);
}

class BenchFailure extends Error {}

// ---------------------------------------------------------------------------------------------
// Database: SQLite default, or a fresh database on the PostgreSQL server DATABASE_URL names

interface Database {
  kind: 'sqlite' | 'postgres';
  /** What the server gets as DATABASE_URL; undefined: its own default (SQLite in the data folder). */
  serverUrl: string | undefined;
  /** The URL the server ends up using (for the bulk insert). */
  url: string;
  description: string;
  /**
   * PostgreSQL on this machine: CPU ticks so far of each backend serving the bench database, so a
   * run can also say what the database spent per request (a backend that ends mid-run is missed).
   */
  backendTicks?(): Promise<Map<number, number>>;
  drop(): Promise<void>;
}

function openKnex(url: string): Knex {
  if (url.startsWith('sqlite:')) {
    return knexFactory({
      compileSqlOnError: false,
      client: 'better-sqlite3', connection: { filename: url.slice('sqlite:'.length) }, useNullAsDefault: true,
      pool: { min: 1, max: 1, afterCreate: (conn: { pragma(source: string): unknown }, done: (e: Error | null, c: unknown) => void) => (conn.pragma('busy_timeout = 10000'), done(null, conn)) },
    });
  }
  return knexFactory({ compileSqlOnError: false, client: 'pg', connection: url, pool: { min: 0, max: 1 } });
}

async function prepareDatabase(dataDir: string): Promise<Database> {
  const given = process.env.DATABASE_URL;
  if (!given || given.startsWith('sqlite:')) {
    if (given) process.stdout.write(`note: DATABASE_URL=${given} ignored: the bench uses the SQLite default in its own data folder\n`);
    const url = loadConfig({ TESSERA_DATA_DIR: dataDir }).databaseUrl;
    return { kind: 'sqlite', serverUrl: undefined, url, description: 'SQLite (the default: a file in a temporary data folder)', drop: async () => {} };
  }
  // A new database on that server, dropped afterwards, so the run disturbs neither tests nor data.
  const name = `tessera_bench_${randomBytes(6).toString('hex')}`;
  const admin = openKnex(given);
  const version = ((await admin.raw('select version() as v')) as { rows: { v: string }[] }).rows[0]?.v ?? '?';
  await admin.raw(`create database ${name}`);
  await admin.destroy();
  const url = new URL(given);
  url.pathname = `/${name}`;
  const local = ['127.0.0.1', 'localhost', '[::1]', ''].includes(url.hostname);
  let watcher: Knex | undefined;
  return {
    kind: 'postgres',
    serverUrl: url.toString(),
    url: url.toString(),
    description: `PostgreSQL, fresh database ${name} on ${url.host} (${version.split(' on ')[0]})`,
    ...(local && {
      async backendTicks() {
        watcher ??= openKnex(url.toString());
        const { rows } = (await watcher.raw('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()')) as { rows: { pid: number }[] };
        const ticks = new Map<number, number>();
        for (const { pid } of rows) {
          try {
            ticks.set(pid, cpuTicks(pid));
          } catch {
            // Ended since, or not readable: not counted.
          }
        }
        return ticks;
      },
    }),
    drop: async () => {
      await watcher?.destroy();
      const cleanup = openKnex(given);
      await cleanup.raw(`drop database if exists ${name} with (force)`);
      await cleanup.destroy();
    },
  };
}

/**
 * `--live-tokens N`: N more live token rows, written straight into the server's database (after it
 * migrated) in batches. Each is a copy of the newest application-user access token row with a fresh
 * random hash, so lookups run against a table of that size; nobody knows their values.
 */
async function insertLiveTokens(url: string, count: number): Promise<{ seconds: number; total: number }> {
  const started = performance.now();
  const db = openKnex(url);
  try {
    const template = (await db('tokens').where({ kind: 'access', subject_kind: 'user' }).whereNull('revoked_at').orderBy('id', 'desc').first()) as Record<string, unknown> | undefined;
    if (!template) throw new BenchFailure('--live-tokens: no user token row to copy');
    delete template.id;
    // One multi-row VALUES statement per batch (knex writes SQLite's as a compound SELECT, capped at 500 terms).
    const columns = Object.keys(template);
    const batch = 1000; // 1000 rows × 18 columns: under both databases' limit on bound values
    const perTransaction = 100_000;
    const rowSql = `(${columns.map(() => '?').join(', ')})`;
    const columnsSql = columns.map((c) => `"${c}"`).join(', ');
    for (let done = 0; done < count; ) {
      await db.transaction(async (trx) => {
        for (let inTrx = 0; inTrx < perTransaction && done < count; ) {
          const n = Math.min(batch, count - done);
          const random = randomBytes(32 * n);
          const values = Array.from({ length: n }, (_, i) => columns.map((c) => (c === 'hash' ? random.subarray(32 * i, 32 * i + 32).toString('base64url') : template[c]))).flat();
          await trx.raw(`insert into tokens (${columnsSql}) values ${Array(n).fill(rowSql).join(', ')}`, values as Knex.Value[]);
          done += n;
          inTrx += n;
        }
      });
      process.stdout.write(`\r  inserted ${done} / ${count} live tokens`);
    }
    process.stdout.write('\n');
    // What a database in steady state would have: statistics, and no WAL a million rows long.
    if (url.startsWith('sqlite:')) await db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
    else await db.raw('vacuum analyze tokens');
    const total = Number(((await db('tokens').count({ n: '*' })) as { n: number | string }[])[0]?.n ?? 0);
    return { seconds: (performance.now() - started) / 1000, total };
  } finally {
    await db.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// The servers

interface Tessera {
  child: ChildProcess;
  url: string;
  accessLog: string;
  banner: string;
}

async function startTessera(dataDir: string, database: Database): Promise<Tessera> {
  const accessLog = path.join(dataDir, 'access.log');
  const stderrLog = path.join(dataDir, 'stderr.log');
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', TESSERA_DATA_DIR: dataDir, TESSERA_SUPERUSER_PASSWORD: `bench-${randomBytes(12).toString('hex')}` };
  delete env.DATABASE_URL;
  if (database.serverUrl) env.DATABASE_URL = database.serverUrl;
  const out = fs.openSync(accessLog, 'a');
  const err = fs.openSync(stderrLog, 'a');
  // BENCH_TESSERA_NODE_ARGS: extra Node flags for Tessera alone, e.g. `--cpu-prof --cpu-prof-dir=prof` to profile it under the same load.
  const nodeArgs = (process.env.BENCH_TESSERA_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/main.ts', '--demo'], { cwd: root, env, stdio: ['ignore', out, err] });
  fs.closeSync(out);
  fs.closeSync(err);
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new BenchFailure(`Tessera exited at start (${child.exitCode ?? child.signalCode}):\n${fs.readFileSync(stderrLog, 'utf8')}${fs.readFileSync(accessLog, 'utf8').slice(-2000)}`);
    }
    const text = fs.readFileSync(accessLog, 'utf8');
    const listening = text.split('\n').find((line) => line.includes('"msg":"listening"'));
    if (listening) {
      const url = (JSON.parse(listening) as { url: string }).url;
      return { child, url, accessLog, banner: text.slice(0, text.indexOf(listening)) };
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new BenchFailure('Tessera did not start within 120 s');
}

/** A server of the bench's own (`floor.mjs`, `reference.mjs`), once it printed the URL it listens on; its stderr goes to `stderr`. */
async function startScript(script: string, env: NodeJS.ProcessEnv = {}, stderr: 'inherit' | number = 'inherit'): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(root, 'scripts/bench', script)], { cwd: root, env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', stderr] });
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const line = text.split('\n')[0];
      if (text.includes('\n') && line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new BenchFailure(`${script} exited at start (${code})`)));
  });
  return { child, url };
}

/** Headers every answer carries, or that describe this one's body: not the reference's to copy. */
const ownHeaders = new Set(['connection', 'content-length', 'content-type', 'date', 'keep-alive', 'transfer-encoding', 'x-request-id']);

/**
 * `reference.mjs` for a workload, given Tessera's answer to its probe: the same body and headers
 * (but the per-request ones, which it makes itself), for the token the workload sends.
 */
async function startReference(workload: Workload, spec: RequestSpec, probe: { text: string; headers: Headers }, stderrFile: string): Promise<{ child: ChildProcess; url: string }> {
  const { tokenHeader, expiryHeader } = workload.reference!;
  const token = Object.entries(spec.headers).find(([name]) => name.toLowerCase() === tokenHeader.toLowerCase())?.[1];
  if (!token) throw new BenchFailure(`${workload.id}: no ${tokenHeader} header to give the reference server`);
  const headers = Object.fromEntries([...probe.headers].filter(([name]) => !ownHeaders.has(name) && name !== expiryHeader.toLowerCase()));
  const reference = { path: spec.path, tokenHeader, token, body: probe.text, headers, expiryHeader };
  const log = fs.openSync(stderrFile, 'a');
  try {
    return await startScript('reference.mjs', { REFERENCE: JSON.stringify(reference) }, log);
  } finally {
    fs.closeSync(log);
  }
}

// ---------------------------------------------------------------------------------------------
// Credentials, over HTTP as a client gets them

interface Demo {
  org: string;
  app: string;
  admin: { username: string; password: string };
  user: { username: string; password: string };
  appClient: { id: string; secret: string };
  quickblox: { applicationId: number; authKey: string; authSecret: string };
  oauthClient: { id: string; secret: string };
}

/** What the server printed at start (the "Try:" banner), read as a newcomer reads it. */
function parseBanner(banner: string): Demo {
  const match = (re: RegExp): RegExpExecArray => {
    const m = re.exec(banner);
    if (!m) throw new BenchFailure(`no ${re} in the start banner:\n${banner}`);
    return m;
  };
  const orgApp = match(/Demo organization "([^"]+)", applications "([^"]+)"/);
  const admin = match(/admin:\s+(\S+) \/ (\S+)/);
  const user = match(/app user:\s+(\S+) \/ (\S+)/);
  const appClient = match(/app client:\s+client_id=(\S+) client_secret=(\S+)/);
  const qb = match(/QuickBlox:\s+application_id=(\d+) auth_key=(\S+) auth_secret=(\S+)/);
  const oauth = match(/OAuth client:\s+client_id=(\S+) client_secret=(\S+)/);
  return {
    org: orgApp[1]!, app: orgApp[2]!,
    admin: { username: admin[1]!, password: admin[2]! },
    user: { username: user[1]!, password: user[2]! },
    appClient: { id: appClient[1]!, secret: appClient[2]! },
    quickblox: { applicationId: Number(qb[1]), authKey: qb[2]!, authSecret: qb[3]! },
    oauthClient: { id: oauth[1]!, secret: oauth[2]! },
  };
}

/** HTTP Basic as RFC 6749 Appendix B writes a client's id and secret. */
function basic(id: string, secret: string): string {
  const encode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`;
}

/** A signed `POST /session.json` form; with `user`, for a user session at once (`user[login]`, `user[password]`, signed too). */
function signedSessionForm(q: Demo['quickblox'], user?: { username: string; password: string }): string {
  const params: Record<string, string> = {
    application_id: String(q.applicationId), auth_key: q.authKey, nonce: String(randomBytes(6).readUIntBE(0, 6)), timestamp: String(Math.floor(Date.now() / 1000)),
    ...(user && { 'user[login]': user.username, 'user[password]': user.password }),
  };
  const message = Object.entries(params).map(([k, v]) => `${k}=${v}`).sort().join('&');
  return new URLSearchParams({ ...params, signature: createHmac('sha1', q.authSecret).update(message).digest('hex') }).toString();
}

interface RequestSpec {
  method: string;
  /** Path and query, the same on both servers. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  bearerTokensFile?: string;
  /** Request bodies, one a line, sent in turn. */
  bodiesFile?: string;
  quickbloxSession?: Demo['quickblox'];
}

/** One request as the load generator would send it (its first rotating token, a freshly signed form). */
async function send(base: string, spec: RequestSpec): Promise<{ status: number; text: string; headers: Headers }> {
  const headers = { ...spec.headers };
  let body = spec.body;
  if (spec.bearerTokensFile) headers.authorization = `Bearer ${fs.readFileSync(spec.bearerTokensFile, 'utf8').split('\n')[0]}`;
  if (spec.bodiesFile) body = fs.readFileSync(spec.bodiesFile, 'utf8').split('\n')[0];
  if (spec.quickbloxSession) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = signedSessionForm(spec.quickbloxSession);
  }
  const request = () => fetch(base + spec.path, { method: spec.method, headers, ...(body !== undefined && { body }) });
  let response: Response;
  try {
    response = await request();
  } catch (error) {
    // A kept-alive connection the server closed while this process was busy (the synchronous bulk
    // insert of --live-tokens holds the event loop for tens of seconds, so the close went unseen):
    // the request never reached the server, so it is sent once more, on a new connection.
    if (!(error instanceof Error && error.cause instanceof Error && /other side closed/.test(error.cause.message))) throw error;
    response = await request();
  }
  return { status: response.status, text: await response.text(), headers: response.headers };
}

async function call<T>(base: string, what: string, spec: RequestSpec): Promise<T> {
  const { status, text } = await send(base, spec);
  if (status < 200 || status > 299) throw new BenchFailure(`setup: ${what}: ${spec.method} ${spec.path} answered ${status}: ${text.slice(0, 2000)}`);
  return JSON.parse(text) as T;
}

const json = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

interface Credentials {
  demo: Demo;
  adminToken: string;
  userToken: string;
  apiToken: string;
  /** A QuickBlox application session. */
  qbToken: string;
  /** A QuickBlox user session (the demo user's): `GET /users.json` needs a user. */
  qbUserToken: string;
  oauthToken: string;
}

async function setUpCredentials(base: string, demo: Demo): Promise<Credentials> {
  const { org, app } = demo;
  const adminToken = (await call<{ access_token: string }>(base, 'admin token', { method: 'POST', path: '/management/token', ...json({ grant_type: 'password', ...demo.admin }) })).access_token;
  const userToken = (await call<{ access_token: string }>(base, 'user token', { method: 'POST', path: `/${org}/${app}/token`, ...json({ grant_type: 'password', ...demo.user }) })).access_token;
  const apiToken = (await call<{ data: { access_token: string } }>(base, 'read API token', {
    method: 'POST', path: `/management/orgs/${org}/apps/${app}/api-tokens`,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` }, body: JSON.stringify({ name: 'bench-read', access: 'read' }),
  })).data.access_token;
  const qbToken = (await call<{ session: { token: string } }>(base, 'QuickBlox session', { method: 'POST', path: '/session.json', headers: {}, quickbloxSession: demo.quickblox })).session.token;
  const qbUserToken = (await call<{ session: { token: string } }>(base, 'QuickBlox user session', {
    method: 'POST', path: '/session.json', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: signedSessionForm(demo.quickblox, demo.user),
  })).session.token;
  const oauthToken = (await call<{ access_token: string }>(base, 'OAuth token', {
    method: 'POST', path: '/oauth/token', body: 'grant_type=client_credentials',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(demo.oauthClient.id, demo.oauthClient.secret) },
  })).access_token;
  const credentials = { demo, adminToken, userToken, apiToken, qbToken, qbUserToken, oauthToken };
  for (const [name, value] of Object.entries(credentials)) if (value === undefined) throw new BenchFailure(`setup: no ${name} in the server's answer`);
  return credentials;
}

/**
 * The rotating workload's tokens: real access tokens of the demo user, minted by the admin with
 * `GET /{org}/{app}/users/{user}/token` ("as if they had signed in"): the same kind of token the
 * password grant issues, without N scrypt verifications, so the server keeps its production scrypt cost.
 */
async function mintUserTokens(base: string, c: Credentials, count: number, file: string): Promise<number> {
  const started = performance.now();
  const tokens: string[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < count) {
      next++;
      const { access_token } = await call<{ access_token: string }>(base, 'minting a user token', {
        method: 'GET', path: `/${c.demo.org}/${c.demo.app}/users/${c.demo.user.username}/token`, headers: { authorization: `Bearer ${c.adminToken}` },
      });
      tokens.push(access_token);
    }
  }));
  fs.writeFileSync(file, `${tokens.join('\n')}\n`);
  return (performance.now() - started) / 1000;
}

/**
 * The password grants' users. The brute-force guard lets one account be checked at most twice at
 * once from one address (src/auth/attempts.ts), so 50 connections signing in one user measure its
 * 429s, not scrypt. Signing in many users, each request the next one, is what a server under load
 * sees: `count` users (created over HTTP by the admin), four times the connections, so no user has
 * two requests in flight.
 */
async function createPasswordUsers(base: string, c: Credentials, count: number): Promise<{ username: string; password: string }[]> {
  const users = Array.from({ length: count }, (_, i) => ({ username: `bench-user-${i + 1}`, password: `bench-password-${i + 1}-${randomBytes(4).toString('hex')}` }));
  let next = 0;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next < users.length) {
      const user = users[next++]!;
      await call(base, 'creating a password-grant user', {
        method: 'POST', path: `/${c.demo.org}/${c.demo.app}/users`, headers: { 'content-type': 'application/json', authorization: `Bearer ${c.adminToken}` }, body: JSON.stringify(user),
      });
    }
  }));
  return users;
}

// ---------------------------------------------------------------------------------------------
// Workloads and targets

type Group = 'W0' | 'W1' | 'W2' | 'W3' | 'password';

interface Workload {
  id: string;
  group: Group;
  title: string;
  spec(c: Credentials): RequestSpec;
  /** What a correct answer must say besides its 2xx status (introspection: an active token). */
  check?(body: string): string | undefined;
  rotating?: boolean;
  /** Set-up only this workload needs, run just before it. */
  prepare?(base: string, c: Credentials): Promise<void>;
  /** Also measure `reference.mjs` on it: the request header carrying the token, and the header the answer's expiry goes in. */
  reference?: { tokenHeader: string; expiryHeader: string };
}

function workloads(options: Options, dataDir: string): Workload[] {
  const tokensFile = path.join(dataDir, 'rotating-tokens.txt');
  const users = (c: Credentials) => `/${c.demo.org}/${c.demo.app}/users?limit=1`;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  let passwordUsers: Promise<{ username: string; password: string }[]> | undefined;
  const passwordBodies = (file: string, body: (user: { username: string; password: string }) => string) => async (base: string, c: Credentials) => {
    if (!passwordUsers) {
      process.stdout.write(`\ncreating ${options.connections * 4} users for the password grants…\n`);
      passwordUsers = createPasswordUsers(base, c, options.connections * 4);
    }
    fs.writeFileSync(path.join(dataDir, file), `${(await passwordUsers).map(body).join('\n')}\n`);
  };
  return [
    {
      id: 'w0-introspect', group: 'W0', title: 'POST /oauth/introspect (Basic + token)',
      spec: (c) => ({ method: 'POST', path: '/oauth/introspect', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(c.demo.oauthClient.id, c.demo.oauthClient.secret) }, body: new URLSearchParams({ token: c.oauthToken }).toString() }),
      check: (body) => ((JSON.parse(body) as { active?: boolean }).active === true ? undefined : 'the token is not active'),
    },
    {
      id: 'w0-qb-session', group: 'W0', title: 'GET /session.json, QB-Token of an application session', spec: (c) => ({ method: 'GET', path: '/session.json', headers: { 'QB-Token': c.qbToken } }),
      reference: { tokenHeader: 'QB-Token', expiryHeader: 'QB-Token-ExpirationDate' },
    },
    { id: 'w1-bearer', group: 'W1', title: 'GET /{org}/{app}/users?limit=1, Bearer user token', spec: (c) => ({ method: 'GET', path: users(c), headers: bearer(c.userToken) }) },
    { id: 'w1-access-token-query', group: 'W1', title: 'same, ?access_token=', spec: (c) => ({ method: 'GET', path: `${users(c)}&access_token=${encodeURIComponent(c.userToken)}`, headers: {} }) },
    { id: 'w1-api-token', group: 'W1', title: 'same, read API token', spec: (c) => ({ method: 'GET', path: users(c), headers: bearer(c.apiToken) }) },
    {
      id: 'w1-client-query', group: 'W1', title: 'same, ?client_id=&client_secret=',
      spec: (c) => ({ method: 'GET', path: `${users(c)}&client_id=${encodeURIComponent(c.demo.appClient.id)}&client_secret=${encodeURIComponent(c.demo.appClient.secret)}`, headers: {} }),
    },
    { id: 'w1-qb-users', group: 'W1', title: 'GET /users.json, QB-Token of a user session', spec: (c) => ({ method: 'GET', path: '/users.json', headers: { 'QB-Token': c.qbUserToken } }) },
    {
      id: 'w1-bearer-rotating', group: 'W1', title: `same as w1-bearer, Bearer rotating over ${options.rotatingTokens} user tokens`, rotating: true,
      spec: (c) => ({ method: 'GET', path: users(c), headers: {}, bearerTokensFile: tokensFile }),
    },
    {
      id: 'w2-oauth-cc', group: 'W2', title: 'POST /oauth/token client_credentials (Basic)',
      spec: (c) => ({ method: 'POST', path: '/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(c.demo.oauthClient.id, c.demo.oauthClient.secret) }, body: 'grant_type=client_credentials' }),
    },
    {
      id: 'w2-usergrid-cc', group: 'W2', title: 'POST /{org}/{app}/token client_credentials',
      spec: (c) => ({ method: 'POST', path: `/${c.demo.org}/${c.demo.app}/token`, ...json({ grant_type: 'client_credentials', client_id: c.demo.appClient.id, client_secret: c.demo.appClient.secret }) }),
    },
    { id: 'w3-qb-signed-session', group: 'W3', title: 'signed POST /session.json, a fresh nonce each', spec: (c) => ({ method: 'POST', path: '/session.json', headers: {}, quickbloxSession: c.demo.quickblox }) },
    {
      id: 'pw-usergrid', group: 'password', title: `POST /{org}/{app}/token password grant, ${options.connections * 4} users in turn (scrypt-bound: reported, not targeted)`,
      prepare: passwordBodies('pw-usergrid.txt', (u) => JSON.stringify({ grant_type: 'password', ...u })),
      spec: (c) => ({ method: 'POST', path: `/${c.demo.org}/${c.demo.app}/token`, headers: { 'content-type': 'application/json' }, bodiesFile: path.join(dataDir, 'pw-usergrid.txt') }),
    },
    {
      id: 'pw-oauth', group: 'password', title: `POST /oauth/token password grant (Basic), ${options.connections * 4} users in turn (scrypt-bound: reported, not targeted)`,
      prepare: passwordBodies('pw-oauth.txt', (u) => new URLSearchParams({ grant_type: 'password', ...u }).toString()),
      spec: (c) => ({
        method: 'POST', path: '/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(c.demo.oauthClient.id, c.demo.oauthClient.secret) },
        bodiesFile: path.join(dataDir, 'pw-oauth.txt'),
      }),
    },
  ];
}

/** Issue 12's targets: ratio to bare Koa (median over the rounds), and p99 at 50 connections. */
const ratioTargets: Record<Database['kind'], Record<Exclude<Group, 'password'>, number>> = {
  sqlite: { W0: 0.6, W1: 0.45, W2: 0.4, W3: 0.4 },
  postgres: { W0: 0.6, W1: 0.3, W2: 0.3, W3: 0.3 },
};
const p99TargetMs = 20;

// ---------------------------------------------------------------------------------------------
// Measuring

interface LoadResult {
  requests: number;
  durationS: number;
  reqPerSec: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  non2xx: number;
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  firstFailure?: { status?: number; body?: string; error?: string };
}

interface Run extends LoadResult {
  cpuUsPerRequest: number;
  cpuSeconds: number;
  /** PostgreSQL on this machine: what its backends for the bench database spent, per request. */
  dbCpuUsPerRequest?: number;
}

function runLoad(workload: Record<string, unknown>): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'scripts/bench/load.mjs')], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new BenchFailure(`the load generator failed (exit ${code}): ${out}`));
      try {
        resolve(JSON.parse(out) as LoadResult);
      } catch (error) {
        reject(error as Error);
      }
    });
    child.stdin.end(JSON.stringify(workload));
  });
}

async function measure(
  target: { name: string; pid: number; url: string; backendTicks?: () => Promise<Map<number, number>> },
  spec: RequestSpec,
  seconds: number,
  connections: number,
  warmup = false,
): Promise<Run> {
  const dbBefore = await target.backendTicks?.();
  const before = cpuTicks(target.pid);
  const result = await runLoad({ url: target.url + spec.path, method: spec.method, headers: spec.headers, body: spec.body, bearerTokensFile: spec.bearerTokensFile, bodiesFile: spec.bodiesFile, quickbloxSession: spec.quickbloxSession, duration: seconds, connections });
  const cpuSeconds = (cpuTicks(target.pid) - before) / clockTicks;
  const dbAfter = await target.backendTicks?.();
  const dbTicks = dbBefore && dbAfter ? [...dbAfter].reduce((sum, [pid, ticks]) => sum + ticks - (dbBefore.get(pid) ?? 0), 0) : undefined;
  if (result.requests === 0 && !warmup) throw new BenchFailure(`${target.name}: no answer completed within ${seconds} s (try more --seconds)`);
  if (result.non2xx > 0 || result.errors > 0) {
    const failure = result.firstFailure;
    throw new BenchFailure(
      `${target.name} did not answer 2xx to every request: ${result.requests} answers ${JSON.stringify(result.statusCodes)}, ${result.errors} errors (${result.timeouts} timeouts)\n` +
      `  first failure: ${failure?.status !== undefined ? `${failure.status} ${failure.body}` : (failure?.error ?? '?')}`,
    );
  }
  return {
    ...result, cpuSeconds, cpuUsPerRequest: (cpuSeconds * 1e6) / result.requests,
    ...(dbTicks !== undefined && { dbCpuUsPerRequest: ((dbTicks / clockTicks) * 1e6) / result.requests }),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface Summary {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerRequest: number;
  dbCpuUsPerRequest?: number;
}

const summarize = (runs: Run[]): Summary => {
  const db = runs.map((r) => r.dbCpuUsPerRequest).filter((n): n is number => n !== undefined);
  return {
    reqPerSec: median(runs.map((r) => r.reqPerSec)),
    p50Ms: median(runs.map((r) => r.latencyMs.p50)),
    p99Ms: median(runs.map((r) => r.latencyMs.p99)),
    cpuUsPerRequest: median(runs.map((r) => r.cpuUsPerRequest)),
    ...(db.length && { dbCpuUsPerRequest: median(db) }),
  };
};

// ---------------------------------------------------------------------------------------------
// Output

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
/** A ratio with two significant decimals at least (0.004× stays visible). */
const fmtRatio = (n: number) => fmt(n, n > 0 && n < 0.1 ? 3 : 2);
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n');
}

interface WorkloadResult {
  id: string;
  group: Group;
  title: string;
  request: { method: string; path: string };
  tessera: { runs: Run[]; median: Summary };
  floor: { runs: Run[]; median: Summary };
  pairs: { first: 'floor' | 'tessera'; ratio: number; referenceRatio?: number }[];
  /** `reference.mjs` on the same requests (workloads that name one): ratio = median of its per-round ratios to the floor. */
  reference?: { runs: Run[]; median: Summary; ratio: number };
  ratio: number;
  target: { ratio: number; p99Ms: number } | null;
  met: { ratio: boolean; p99: boolean } | null;
  memory?: Record<string, number>;
}

function printWorkload(r: WorkloadResult): void {
  const t = r.tessera.median;
  const f = r.floor.median;
  process.stdout.write(
    `\n${r.group} ${r.id}: ${r.title}\n` +
    table([
      ['', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req', ...(t.dbCpuUsPerRequest !== undefined ? ['+ PostgreSQL CPU µs/req'] : [])],
      ['Tessera', fmt(t.reqPerSec), fmt(t.p50Ms), fmt(t.p99Ms), fmt(t.cpuUsPerRequest), ...(t.dbCpuUsPerRequest !== undefined ? [fmt(t.dbCpuUsPerRequest)] : [])],
      ['bare Koa', fmt(f.reqPerSec), fmt(f.p50Ms), fmt(f.p99Ms), fmt(f.cpuUsPerRequest), ...(t.dbCpuUsPerRequest !== undefined ? ['–'] : [])],
      ...(r.reference ? [['reference', fmt(r.reference.median.reqPerSec), fmt(r.reference.median.p50Ms), fmt(r.reference.median.p99Ms), fmt(r.reference.median.cpuUsPerRequest), ...(t.dbCpuUsPerRequest !== undefined ? ['–'] : [])]] : []),
    ]).replace(/^/gm, '  ') + '\n' +
    (r.reference ? `  reference (scripts/bench/reference.mjs: Koa, an access-log line, the token in a Map, the same headers and body): ${fmtRatio(r.reference.ratio)}× bare Koa\n` : '') +
    (r.target && r.met
      ? `  ratio ${fmtRatio(r.ratio)}× (target ≥ ${r.target.ratio.toFixed(2)}×: ${r.met.ratio ? 'met' : 'NOT met'}) · p99 ${fmt(t.p99Ms)} ms (target ≤ ${r.target.p99Ms} ms: ${r.met.p99 ? 'met' : 'NOT met'})\n`
      : `  ratio ${fmtRatio(r.ratio)}× (reported, no target)\n`),
  );
}

function summaryTable(results: WorkloadResult[]): string {
  const rows = results.map((r) => {
    const t = r.tessera.median;
    const f = r.floor.median;
    const target = r.target && r.met ? `≥ ${r.target.ratio.toFixed(2)}×, ≤ ${r.target.p99Ms} ms` : 'none';
    const met = r.met ? (r.met.ratio && r.met.p99 ? 'yes' : `no (${[!r.met.ratio && 'ratio', !r.met.p99 && 'p99'].filter(Boolean).join(', ')})`) : '–';
    const db = t.dbCpuUsPerRequest !== undefined ? ` + ${fmt(t.dbCpuUsPerRequest)} µs PostgreSQL` : '';
    const row = `| ${r.group} \`${r.id}\` | ${fmt(t.reqPerSec)} | ${fmtRatio(r.ratio)}× | ${fmt(t.cpuUsPerRequest)} µs${db} (${fmt(f.cpuUsPerRequest)} µs) | ${fmt(t.p50Ms)} / ${fmt(t.p99Ms)} ms | ${target} | ${met} |`;
    const ref = r.reference?.median;
    return r.reference && ref
      ? `${row}\n| ↳ reference (\`reference.mjs\`) | ${fmt(ref.reqPerSec)} | ${fmtRatio(r.reference.ratio)}× | ${fmt(ref.cpuUsPerRequest)} µs (${fmt(f.cpuUsPerRequest)} µs) | ${fmt(ref.p50Ms)} / ${fmt(ref.p99Ms)} ms | – | – |`
      : row;
  });
  return ['| workload | Tessera req/s | ratio | server CPU per request (bare Koa) | p50 / p99 | target | met |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}

// ---------------------------------------------------------------------------------------------
// The run

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-bench-'));
  const tokensFile = path.join(dataDir, 'rotating-tokens.txt');
  const selected = workloads(options, dataDir).filter((w) => !options.only || options.only.test(w.id));
  if (!selected.length) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw new BenchFailure(`--only ${options.only} matches no workload (try --help)`);
  }
  const jsonFile = path.resolve(options.json ?? path.join(root, 'bench-results', `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`));

  let database: Database | undefined;
  let tessera: Tessera | undefined;
  let floor: { child: ChildProcess; url: string } | undefined;
  let reference: { child: ChildProcess; url: string } | undefined;
  let ok = false;
  const onSignal = () => {
    tessera?.child.kill('SIGKILL');
    floor?.child.kill('SIGKILL');
    reference?.child.kill('SIGKILL');
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    database = await prepareDatabase(dataDir);
    const inherited = Object.entries(process.env).filter(([k]) => /^(TESSERA_|LOG_LEVEL$|NODE_ENV$|NODE_OPTIONS$|UV_THREADPOOL_SIZE$)/.test(k)).map(([k, v]) => `${k}=${v}`);
    const machine = {
      cpus: os.availableParallelism(),
      cpuModel: os.cpus()[0]?.model ?? '?',
      memory: os.totalmem(),
      node: process.version,
      kernel: `${os.type()} ${os.release()}`,
      clockTicks,
      database: database.description,
      inheritedEnvironment: inherited,
      loadAverageBefore: os.loadavg(),
      loadAverageAfter: [] as number[],
    };
    process.stdout.write(
      `Tessera benchmark (issue 12) · ${startedAt.toISOString()}\n` +
      `machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${mb(machine.memory)}, node ${machine.node}, ${machine.kernel}\n` +
      `load average before the run: ${machine.loadAverageBefore.map((n) => n.toFixed(2)).join(' ')}` +
      `${machine.loadAverageBefore[0]! > 0.25 * machine.cpus ? '  ← the machine is busy: other processes share the CPUs with the servers and the load generator' : ''}\n` +
      `database: ${machine.database}\n` +
      `server: node --import tsx src/main.ts --demo, production settings${inherited.length ? `, plus from this environment: ${inherited.join(' ')}` : ' (no TESSERA_* set: scrypt at its production cost)'}\n` +
      `load: autocannon in its own process, ${options.connections} connections, same machine; ${options.rounds} round(s) of ${options.seconds} s per server per workload, ` +
      `floor and Tessera alternating (which goes first alternates), ${options.warmup ? `${options.warmup} s warm-up each` : 'no warm-up'}\n` +
      `data folder: ${dataDir}\n`,
    );

    tessera = await startTessera(dataDir, database);
    floor = await startScript('floor.mjs');
    const tesseraPid = tessera.child.pid!;
    const floorPid = floor.child.pid!;
    watch('Tessera', tessera.child);
    watch('the bare Koa floor', floor.child);
    process.stdout.write(`Tessera ${tessera.url} (pid ${tesseraPid}, RSS ${mb(rssBytes(tesseraPid))} after start) · bare Koa ${floor.url} (pid ${floorPid})\n`);

    const credentials = await setUpCredentials(tessera.url, parseBanner(tessera.banner));
    let liveTokens: { inserted: number; seconds: number; total: number } | undefined;
    if (options.liveTokens > 0) {
      process.stdout.write(`inserting ${options.liveTokens} extra live token rows into the server's database…\n`);
      const { seconds, total } = await insertLiveTokens(database.url, options.liveTokens);
      liveTokens = { inserted: options.liveTokens, seconds, total };
      process.stdout.write(`  done in ${fmt(seconds, 1)} s; the tokens table now has ${total} rows\n`);
    }

    const results: WorkloadResult[] = [];
    const memory: Record<string, number> = { afterSetup: rssBytes(tesseraPid) };
    let pair = 0;
    for (const workload of selected) {
      let workloadMemory: Record<string, number> | undefined;
      if (workload.rotating) {
        const rssBefore = rssBytes(tesseraPid);
        process.stdout.write(`\nminting ${options.rotatingTokens} access tokens of ${credentials.demo.user.username} (GET /{org}/{app}/users/{user}/token by the admin)…\n`);
        const seconds = await mintUserTokens(tessera.url, credentials, options.rotatingTokens, tokensFile);
        workloadMemory = { tokens: options.rotatingTokens, rssBeforeMinting: rssBefore, rssAfterMinting: rssBytes(tesseraPid), mintingSeconds: seconds };
      }
      await workload.prepare?.(tessera.url, credentials);
      const spec = workload.spec(credentials);
      // One request first: a workload that fails is reported with the server's own answer.
      const probe = await send(tessera.url, spec);
      const wrong = probe.status < 200 || probe.status > 299 ? `answered ${probe.status}` : workload.check?.(probe.text);
      if (wrong) throw new BenchFailure(`${workload.id}: ${spec.method} ${spec.path} ${wrong}: ${probe.text.slice(0, 2000)}`);

      if (workload.reference) {
        reference = await startReference(workload, spec, probe, path.join(dataDir, `reference-${workload.id}.log`));
        watch('the reference server', reference.child);
      }
      const backendTicks = database.backendTicks?.bind(database);
      const targets = {
        tessera: { name: `Tessera (${workload.id})`, pid: tesseraPid, url: tessera.url, ...(backendTicks && { backendTicks }) },
        floor: { name: `bare Koa (${workload.id})`, pid: floorPid, url: floor.url },
        ...(reference && { reference: { name: `the reference (${workload.id})`, pid: reference.child.pid!, url: reference.url } }),
      };
      const servers = reference ? (['floor', 'tessera', 'reference'] as const) : (['floor', 'tessera'] as const);
      if (options.warmup > 0) for (const which of servers) await measure(targets[which]!, spec, options.warmup, options.connections, true);
      const runs = { tessera: [] as Run[], floor: [] as Run[], reference: [] as Run[] };
      const pairs: WorkloadResult['pairs'] = [];
      for (let round = 0; round < options.rounds; round++) {
        const first = pair++ % 2 === 0 ? 'floor' : 'tessera';
        // The reference, when there is one, runs right after the floor it is compared with.
        const order = (first === 'floor' ? ['floor', 'reference', 'tessera'] as const : ['tessera', 'floor', 'reference'] as const).filter((which) => targets[which]);
        const got: Partial<Record<'floor' | 'tessera' | 'reference', Run>> = {};
        for (const which of order) got[which] = await measure(targets[which]!, spec, options.seconds, options.connections);
        runs.tessera.push(got.tessera!);
        runs.floor.push(got.floor!);
        if (got.reference) runs.reference.push(got.reference);
        pairs.push({ first, ratio: got.tessera!.reqPerSec / got.floor!.reqPerSec, ...(got.reference && { referenceRatio: got.reference.reqPerSec / got.floor!.reqPerSec }) });
        process.stdout.write(
          `  ${workload.id} round ${round + 1}: bare Koa ${fmt(got.floor!.reqPerSec)} req/s, Tessera ${fmt(got.tessera!.reqPerSec)} req/s` +
          `${got.reference ? `, reference ${fmt(got.reference.reqPerSec)} req/s` : ''} (${first} first)\n`,
        );
      }
      await stop(reference?.child);
      reference = undefined;
      if (workloadMemory) {
        workloadMemory.rssAfterWorkload = rssBytes(tesseraPid);
        workloadMemory.bytesPerTokenEstimate = (Math.max(workloadMemory.rssAfterMinting!, workloadMemory.rssAfterWorkload) - workloadMemory.rssBeforeMinting!) / options.rotatingTokens;
      }
      const tesseraMedian = summarize(runs.tessera);
      const ratio = median(pairs.map((p) => p.ratio));
      const target = workload.group === 'password' ? null : { ratio: ratioTargets[database.kind][workload.group], p99Ms: p99TargetMs };
      const result: WorkloadResult = {
        id: workload.id, group: workload.group, title: workload.title, request: { method: spec.method, path: spec.path },
        tessera: { runs: runs.tessera, median: tesseraMedian }, floor: { runs: runs.floor, median: summarize(runs.floor) },
        pairs, ratio, target,
        ...(runs.reference.length && {
          reference: { runs: runs.reference, median: summarize(runs.reference), ratio: median(pairs.map((p) => p.referenceRatio!)) },
        }),
        met: target && { ratio: ratio >= target.ratio, p99: tesseraMedian.p99Ms <= target.p99Ms },
        ...(workloadMemory && { memory: workloadMemory }),
      };
      results.push(result);
      printWorkload(result);
      if (workloadMemory) {
        const m = workloadMemory;
        process.stdout.write(
          `  memory: RSS ${mb(m.rssBeforeMinting!)} before minting, ${mb(m.rssAfterMinting!)} after (minting took ${fmt(m.mintingSeconds!, 1)} s; issuing caches a token), ${mb(m.rssAfterWorkload!)} after the workload\n` +
          (m.bytesPerTokenEstimate! > 0
            ? `  ≈ ${fmt(m.bytesPerTokenEstimate!)} bytes per cached token at most (largest RSS growth ÷ ${options.rotatingTokens}; RSS is coarse: V8 keeps heap it grew, and frees some); `
            : `  RSS did not grow: the cached tokens are below RSS noise (V8 frees and grows heap by whole pages); `) +
          `the token cache holds at most ${defaults.tokenCacheSize} entries for ${defaults.tokenCacheTtlMs / 1000} s (src/config.ts)\n`,
        );
      }
    }
    memory.afterRun = rssBytes(tesseraPid);
    machine.loadAverageAfter = os.loadavg();

    process.stdout.write(`\nServer RSS after the run: ${mb(memory.afterRun)} (after setup: ${mb(memory.afterSetup!)}) · load average: ${machine.loadAverageAfter.map((n) => n.toFixed(2)).join(' ')} (1, 5, 15 min; includes this run)\n`);
    process.stdout.write(`\nSummary (${database.kind}, ${options.rounds} round(s) of ${options.seconds} s, ${options.connections} connections, medians; ratio = median of per-pair Tessera ÷ bare Koa req/s)\n\n${summaryTable(results)}\n`);

    // A clean stop, then the access log: every request Tessera answered should have its line.
    await stop(tessera.child);
    const logged = fs.readFileSync(tessera.accessLog, 'utf8').split('\n').filter((line) => line.includes('"msg":"request"')).length;
    const measured = results.reduce((sum, r) => sum + r.tessera.runs.reduce((s, run) => s + run.requests, 0), 0);
    process.stdout.write(`\naccess log: ${logged} request lines (${fmt(fs.statSync(tessera.accessLog).size / 2 ** 20, 1)} MiB) for ${measured} measured requests plus set-up, probes and warm-ups\n`);

    fs.mkdirSync(path.dirname(jsonFile), { recursive: true });
    fs.writeFileSync(jsonFile, `${JSON.stringify({
      startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), options: { ...options, only: options.only?.source ?? null }, machine,
      database: database.kind, liveTokens, memory, accessLogLines: logged, workloads: results,
    }, null, 2)}\n`);
    process.stdout.write(`raw figures: ${path.relative(process.cwd(), jsonFile).startsWith('..') ? jsonFile : path.relative(process.cwd(), jsonFile)}\n`);
    ok = true;
    return 0;
  } finally {
    await stop(tessera?.child);
    await stop(reference?.child);
    floor?.child.kill('SIGKILL'); // nothing to flush; a SIGTERM is what the floor reports as a stop from outside
    await database?.drop().catch((error: unknown) => process.stderr.write(`could not drop the bench database: ${String(error)}\n`));
    if (ok && !options.keep) fs.rmSync(dataDir, { recursive: true, force: true });
    else process.stdout.write(`kept the data folder (access log, stderr, database): ${dataDir}\n`);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // fetch's own message is only "fetch failed": the reason (a reset, a refused connection) is its cause.
    const cause = error instanceof Error && error.cause !== undefined ? `\ncaused by: ${error.cause instanceof Error ? (error.cause.stack ?? error.cause.message) : String(error.cause)}` : '';
    const text = (error instanceof BenchFailure ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)) + cause;
    process.stderr.write(`\nBENCHMARK FAILED: ${text.length > 4000 ? `${text.slice(0, 4000)}…` : text}\n`);
    process.exit(1);
  },
);
