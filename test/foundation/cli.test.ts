import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import { tessera } from '../helpers/api.js';
import { runTessera, tesseraBin as bin } from '../helpers/cli.js';
import { freshDatabase } from '../helpers/database.js';
import { startCommand, type Instance } from '../helpers/instance.js';

// The tests run side by side, each on its own database with its own processes: a process start is
// mostly one core's work, and one test alone kept the other core idle. What a test started and
// made ends with it (its own onTestFinished: the shared afterEach of a sequential file would end
// the processes of the tests still running).
type Finished = TestContext['onTestFinished'];

/** What the README says to run, with the test's database; PostgreSQL when the run has one. */
async function database(onTestFinished: Finished): Promise<{ env: Record<string, string> }> {
  const db = await freshDatabase();
  onTestFinished(() => db.drop());
  return { env: { DATABASE_URL: db.url, TESSERA_DATA_DIR: db.dataDir, TESSERA_SUPERUSER_PASSWORD: 'cli-superuser-password' } };
}

/** Starts `command` as startCommand does, stopped when the test ends (before its database is dropped). */
function started(onTestFinished: Finished, command: string[], env: Record<string, string>): Instance {
  const instance = startCommand(command, env);
  onTestFinished(() => instance.stop(1000));
  return instance;
}

/** Runs `tessera <args>` to its end, with a data folder of its own unless `env` names one. */
function tesseraCommand(args: string[], env: Record<string, string> = {}) {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  return runTessera(args, { ...inherited, TESSERA_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-cli-')), ...env });
}

/** Whether something accepts connections on the URL's port. */
function listening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** A stop signal (SIGTERM unless said) to exactly the process the test started: the shutdown line, exit 0, the port closed. */
async function expectGracefulStop(instance: Instance, url: string, signal: 'SIGTERM' | 'SIGHUP' = 'SIGTERM'): Promise<void> {
  instance.child.kill(signal);
  expect(await instance.exited).toBe(0);
  expect(instance.output()).toMatch(new RegExp(`"signal":"${signal}","msg":"shutting down"`));
  expect(await listening(url)).toBe(false);
}

// Side by side, each test shares the cores with four server starts: a minute each, as the npm start tests had.
describe.concurrent('the tessera command line', { timeout: 60_000 }, () => {
  it('answers --help, for itself and each command, without starting anything', async ({ expect }) => {
    const help = tesseraCommand(['--help'], { PORT: '1' });
    const commands = [['serve', '--help'], ['serve', '-h'], ['migrate', 'status', '--help'], ['rotate-key', '--help'], ['migrate', '--help']].map((args) => {
      // PORT 1 is privileged: a server that started would fail loudly, and the data folder would get a database.
      const env = { PORT: '1', TESSERA_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-cli-')) };
      return { args, env, answer: tesseraCommand(args, env) };
    });
    expect((await help).status).toBe(0);
    for (const command of ['serve', 'migrate status', 'migrate up', 'rotate-key']) expect((await help).stdout).toContain(command);
    for (const { args, env, answer: answered } of commands) {
      const answer = await answered;
      expect(answer.status, args.join(' ')).toBe(0);
      expect(answer.stdout).toMatch(/Usage: tessera|Commands:/);
      expect(answer.stdout + answer.stderr).not.toMatch(/listening|EACCES/);
      expect(fs.readdirSync(env.TESSERA_DATA_DIR)).toEqual([]);
    }
  });

  it('refuses an unknown command, option or argument in one line, exit 2', async ({ expect }) => {
    const refusals = (
      [
        [['frobnicate'], /unknown command "frobnicate"/],
        [['serve', '--port', '80'], /unknown option --port/],
        [['--verbose'], /unknown option --verbose/],
        [['migrate'], /needs one of: status, up/],
        [['migrate', 'status', 'now'], /unexpected argument now/],
        [['rotate-key', '--batch-size', 'lots'], /--batch-size must be an integer/],
      ] as const
    ).map(([args, message]) => ({ args, message, answer: tesseraCommand([...args]) }));
    for (const { args, message, answer: answered } of refusals) {
      const answer = await answered;
      expect(answer.status, args.join(' ')).toBe(2);
      expect(answer.stderr).toMatch(message);
      expect(answer.stderr.trim().split('\n')).toHaveLength(1);
      expect(answer.stdout).toBe('');
    }
  });

  it('migrate status: exit 3 while migrations are pending, 0 once migrate up ran them', async ({ expect, onTestFinished }) => {
    const { env } = await database(onTestFinished);
    const before = await tesseraCommand(['migrate', 'status'], env);
    expect(before.status).toBe(3);
    expect(before.stdout).toMatch(/^pending {2}001_initial$/m);
    const up = await tesseraCommand(['migrate', 'up'], env);
    expect(up.status).toBe(0);
    expect(up.stdout).toMatch(/applied {2}016_settings/);
    const after = await tesseraCommand(['migrate', 'status'], env);
    expect(after.status).toBe(0);
    expect(after.stdout).toMatch(/^applied {2}016_settings$/m);
    expect(after.stdout).not.toMatch(/^pending/m);
    expect((await tesseraCommand(['migrate', 'up'], env)).stdout).toContain('already current');
  });

  // Two servers (each on a database of its own) and the refused start at once: the test waits on one start, not three in a row.
  it('tessera serve: no demo data ever, and SIGTERM to it stops the server gracefully', async ({ expect, onTestFinished }) => {
    const [{ env }, { env: otherEnv }] = await Promise.all([database(onTestFinished), database(onTestFinished)]);
    const refusing = tesseraCommand(['serve'], { ...env, TESSERA_DEMO: 'true' });
    const server = started(onTestFinished, [bin, 'serve'], env);
    // A closed terminal or a dropped SSH session: SIGHUP stops it as cleanly (Node's default would kill it, pending log lines lost).
    const again = started(onTestFinished, [bin, 'serve'], otherEnv);

    const refused = await refusing;
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim()).toMatch(/^tessera: TESSERA_DEMO=true: tessera serve never seeds the demo/);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);

    const url = await server.ready;
    expect(server.output()).not.toContain('Demo organization');
    const demoAdmin = await tessera(url).POST('/management/token', { body: { grant_type: 'password', username: 'demo-admin', password: 'demo-admin-password' } });
    expect(demoAdmin.response.status).toBe(400);
    const superuser = await tessera(url).POST('/management/token', { body: { grant_type: 'password', username: 'superuser', password: 'cli-superuser-password' } });
    expect(superuser.response.status).toBe(200);
    await expectGracefulStop(server, url);
    await expectGracefulStop(again, await again.ready, 'SIGHUP');
  });

  // npm forwards SIGTERM to its script's process; the script `exec`s node, so that process is the server.
  it('npm start: TESSERA_DEMO=false seeds nothing despite the script\'s --demo, and SIGTERM to npm stops the server gracefully', async ({ expect, onTestFinished }) => {
    const { env } = await database(onTestFinished);
    const npm = started(onTestFinished, ['npm', 'start', '--silent'], { ...env, TESSERA_DEMO: 'false' });
    const url = await npm.ready;
    expect(npm.output()).not.toContain('Demo organization');
    const demo = await tessera(url).GET('/management/orgs/{org}', { params: { path: { org: 'demo' } } });
    expect(demo.response.status).not.toBe(200);
    const demoAdmin = await tessera(url).POST('/management/token', { body: { grant_type: 'password', username: 'demo-admin', password: 'demo-admin-password' } });
    expect(demoAdmin.response.status).toBe(400);
    await expectGracefulStop(npm, url);
  });

  it('npm start seeds the demo, and stops gracefully on SIGTERM', async ({ expect, onTestFinished }) => {
    const { env } = await database(onTestFinished);
    const npm = started(onTestFinished, ['npm', 'start', '--silent'], env);
    const url = await npm.ready;
    expect(npm.output()).toContain('Demo organization "demo"');
    expect(npm.output()).toContain(`admin console: ${url}/console/`);
    const demoAdmin = await tessera(url).POST('/management/token', { body: { grant_type: 'password', username: 'demo-admin', password: 'demo-admin-password' } });
    expect(demoAdmin.response.status).toBe(200);
    await expectGracefulStop(npm, url);
  });
});
