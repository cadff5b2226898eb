import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tessera } from '../helpers/api.js';
import { freshDatabase, type ScratchDatabase } from '../helpers/database.js';
import { startCommand, type Instance } from '../helpers/instance.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const bin = path.join(root, 'bin', 'tessera.mjs');

/** What the README says to run, with the test's database; PostgreSQL when the run has one. */
const started: Instance[] = [];
const scratch: ScratchDatabase[] = [];
afterEach(async () => {
  for (const instance of started.splice(0)) await instance.stop(1000);
  for (const database of scratch.splice(0)) await database.drop();
});

async function database(): Promise<{ env: Record<string, string>; database: ScratchDatabase }> {
  const db = await freshDatabase();
  scratch.push(db);
  return { env: { DATABASE_URL: db.url, TESSERA_DATA_DIR: db.dataDir, TESSERA_SUPERUSER_PASSWORD: 'cli-superuser-password' }, database: db };
}

/** Runs `tessera <args>` to its end. */
function tesseraCommand(args: string[], env: Record<string, string> = {}) {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const result = spawnSync(bin, args, { cwd: root, env: { ...inherited, TESSERA_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-cli-')), ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
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

describe('the tessera command line', () => {
  it('answers --help, for itself and each command, without starting anything', () => {
    const help = tesseraCommand(['--help'], { PORT: '1' });
    expect(help.status).toBe(0);
    for (const command of ['serve', 'migrate status', 'migrate up', 'rotate-key']) expect(help.stdout).toContain(command);
    for (const args of [['serve', '--help'], ['serve', '-h'], ['migrate', 'status', '--help'], ['rotate-key', '--help'], ['migrate', '--help']]) {
      // PORT 1 is privileged: a server that started would fail loudly, and the data folder would get a database.
      const env = { PORT: '1', TESSERA_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-cli-')) };
      const answer = tesseraCommand(args, env);
      expect(answer.status, args.join(' ')).toBe(0);
      expect(answer.stdout).toMatch(/Usage: tessera|Commands:/);
      expect(answer.stdout + answer.stderr).not.toMatch(/listening|EACCES/);
      expect(fs.readdirSync(env.TESSERA_DATA_DIR)).toEqual([]);
    }
  });

  it('refuses an unknown command, option or argument in one line, exit 2', () => {
    for (const [args, message] of [
      [['frobnicate'], /unknown command "frobnicate"/],
      [['serve', '--port', '80'], /unknown option --port/],
      [['--verbose'], /unknown option --verbose/],
      [['migrate'], /needs one of: status, up/],
      [['migrate', 'status', 'now'], /unexpected argument now/],
      [['rotate-key', '--batch-size', 'lots'], /--batch-size must be an integer/],
    ] as const) {
      const answer = tesseraCommand([...args]);
      expect(answer.status, args.join(' ')).toBe(2);
      expect(answer.stderr).toMatch(message);
      expect(answer.stderr.trim().split('\n')).toHaveLength(1);
      expect(answer.stdout).toBe('');
    }
  });

  it('migrate status: exit 3 while migrations are pending, 0 once migrate up ran them', async () => {
    const { env } = await database();
    const before = tesseraCommand(['migrate', 'status'], env);
    expect(before.status).toBe(3);
    expect(before.stdout).toMatch(/^pending {2}001_initial$/m);
    const up = tesseraCommand(['migrate', 'up'], env);
    expect(up.status).toBe(0);
    expect(up.stdout).toMatch(/applied {2}016_settings/);
    const after = tesseraCommand(['migrate', 'status'], env);
    expect(after.status).toBe(0);
    expect(after.stdout).toMatch(/^applied {2}016_settings$/m);
    expect(after.stdout).not.toMatch(/^pending/m);
    expect(tesseraCommand(['migrate', 'up'], env).stdout).toContain('already current');
  });

  it('tessera serve: no demo data ever, and SIGTERM to it stops the server gracefully', async () => {
    const { env } = await database();
    const refused = tesseraCommand(['serve'], { ...env, TESSERA_DEMO: 'true' });
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim()).toMatch(/^tessera: TESSERA_DEMO=true: tessera serve never seeds the demo/);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);

    const server = startCommand([bin, 'serve'], env);
    started.push(server);
    const url = await server.ready;
    expect(server.output()).not.toContain('Demo organization');
    const demoAdmin = await tessera(url).POST('/management/token', { body: { grant_type: 'password', username: 'demo-admin', password: 'demo-admin-password' } });
    expect(demoAdmin.response.status).toBe(400);
    const superuser = await tessera(url).POST('/management/token', { body: { grant_type: 'password', username: 'superuser', password: 'cli-superuser-password' } });
    expect(superuser.response.status).toBe(200);
    await expectGracefulStop(server, url);

    // A closed terminal or a dropped SSH session: SIGHUP stops it as cleanly (Node's default would kill it, pending log lines lost).
    const again = startCommand([bin, 'serve'], env);
    started.push(again);
    await expectGracefulStop(again, await again.ready, 'SIGHUP');
  });

  // npm forwards SIGTERM to its script's process; the script `exec`s node, so that process is the server.
  it('npm start: TESSERA_DEMO=false seeds nothing despite the script\'s --demo, and SIGTERM to npm stops the server gracefully', async () => {
    const { env } = await database();
    const npm = startCommand(['npm', 'start', '--silent'], { ...env, TESSERA_DEMO: 'false' });
    started.push(npm);
    const url = await npm.ready;
    expect(npm.output()).not.toContain('Demo organization');
    const demo = await tessera(url).GET('/management/orgs/{org}', { params: { path: { org: 'demo' } } });
    expect(demo.response.status).not.toBe(200);
    const demoAdmin = await tessera(url).POST('/management/token', { body: { grant_type: 'password', username: 'demo-admin', password: 'demo-admin-password' } });
    expect(demoAdmin.response.status).toBe(400);
    await expectGracefulStop(npm, url);
  }, 60_000);

  it('npm start seeds the demo, and stops gracefully on SIGTERM', async () => {
    const { env } = await database();
    const npm = startCommand(['npm', 'start', '--silent'], env);
    started.push(npm);
    const url = await npm.ready;
    expect(npm.output()).toContain('Demo organization "demo"');
    expect(npm.output()).toContain(`admin console: ${url}/console/`);
    const demoAdmin = await tessera(url).POST('/management/token', { body: { grant_type: 'password', username: 'demo-admin', password: 'demo-admin-password' } });
    expect(demoAdmin.response.status).toBe(200);
    await expectGracefulStop(npm, url);
  }, 60_000);
});
