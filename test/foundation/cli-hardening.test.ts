import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { superuser, startTestServer, type TestServer } from '../helpers/server.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const bin = path.join(root, 'bin', 'tessera.mjs');
const run = promisify(execFile);

/** `nobody`: a user other than the one running the tests, to own what another user could have planted. */
const anotherUser = 65534;

/** Runs `tessera <args>` as a child process, asynchronously: the servers it talks to run in this process. */
async function tessera(args: string[], env: Record<string, string>) {
  const { TESSERA_URL: _u, TESSERA_TOKEN: _t, TESSERA_PASSWORD: _p, TESSERA_CONFIG_DIR: _c, TESSERA_CLI_MAX_ANSWER_BYTES: _m, ...inherited } = process.env;
  try {
    const { stdout, stderr } = await run(bin, args, { cwd: root, env: { ...inherited, ...env }, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout: string; stderr: string };
    if (typeof failed.code !== 'number') throw error;
    return { status: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** A fresh credentials folder of the test's user, 0700 as `login` makes it. */
function newConfigDir(): string {
  const folder = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-cli-hardening-')), 'tessera');
  fs.mkdirSync(folder, { mode: 0o700 });
  return folder;
}

/** A credentials file as `login` writes it, 0600, naming `url`. */
function writeCredentials(folder: string, url: string, token = 'planted-token'): string {
  const file = path.join(folder, 'credentials.json');
  fs.writeFileSync(file, JSON.stringify({ url, username: 'superuser', access_token: token, expires_at: Date.now() + 3_600_000 }), { mode: 0o600 });
  return file;
}

/** An HTTP server of the test's own on 127.0.0.1; `handle` answers each request. */
async function listen(handle: http.RequestListener): Promise<{ url: string; server: http.Server }> {
  const server = http.createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, server };
}

async function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

// The client side only: the PostgreSQL pass would repeat it unchanged.
describe.skipIf(process.env.TEST_DATABASE_URL !== undefined)('the tessera command line against what another user or a server sends it', () => {
  // chown to another user needs root, and Windows has no uid to check.
  describe.skipIf(process.platform === 'win32' || process.getuid?.() !== 0)("a credentials file or folder another user owns", () => {
    let server: TestServer;
    /** Another user's server: what any request to it carried, which must be nothing. */
    let trap: { url: string; server: http.Server };
    const caught: { method?: string; url?: string; authorization?: string }[] = [];

    beforeAll(async () => {
      server = await startTestServer();
      trap = await listen((req, res) => {
        caught.push({ method: req.method, url: req.url, authorization: req.headers.authorization });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"action":"get organizations","status":"ok","data":{"organizations":[]}}');
      });
    });
    afterAll(async () => {
      await server?.close();
      if (trap) await close(trap.server);
    });
    beforeEach(() => void caught.splice(0));

    it('is used by no command and revoked by no logout: nothing is sent to the server it names, and the file stays', async () => {
      const folder = newConfigDir();
      const file = writeCredentials(folder, trap.url);
      const env = { TESSERA_CONFIG_DIR: folder };

      // The test's trap works: the same file, the user's own, is used.
      const own = await tessera(['organizations', 'list'], env);
      expect(own.status, own.stderr).toBe(0);
      expect(caught.splice(0)).toEqual([{ method: 'GET', url: '/management/orgs', authorization: 'Bearer planted-token' }]);

      fs.chownSync(file, anotherUser, anotherUser);
      const refused = await tessera(['organizations', 'list'], env);
      expect(refused.status).toBe(4);
      expect(refused.stderr).toBe(`tessera: ${file} is owned by uid ${anotherUser}, not by you (uid 0): its token is sent nowhere (another user may have put it there); remove it, then tessera login\n`);
      // TESSERA_URL naming the file's own server changes nothing.
      expect((await tessera(['organizations', 'list'], { ...env, TESSERA_URL: trap.url })).status).toBe(4);

      // Neither as it is, nor once readable by others (which logout alone would still revoke, were it the user's).
      for (const mode of [0o600, 0o644]) {
        fs.chmodSync(file, mode);
        const logout = await tessera(['logout'], env);
        expect(logout.status).toBe(4);
        expect(logout.stderr).toMatch(/is owned by uid 65534, not by you .*its token is sent nowhere/);
        expect(fs.existsSync(file)).toBe(true);
      }
      expect(caught).toEqual([]);
    });

    it('in a folder another user owns, is neither read nor written: the password is not even sent', async () => {
      const folder = newConfigDir();
      const login = await tessera(['login', '--url', server.url, '--username', superuser.username], { TESSERA_CONFIG_DIR: folder, TESSERA_PASSWORD: superuser.password });
      expect(login.status, login.stderr).toBe(0);
      const file = path.join(folder, 'credentials.json');
      const { access_token: token } = JSON.parse(fs.readFileSync(file, 'utf8')) as { access_token: string };

      // The file is still the user's own, 0600: the folder's owner could swap it at any time.
      fs.chownSync(folder, anotherUser, anotherUser);
      const env = { TESSERA_CONFIG_DIR: folder };
      const folderRefusal = `the credentials folder ${folder} is owned by uid ${anotherUser}, not by you (uid 0): its owner could swap the credentials in it; set TESSERA_CONFIG_DIR to a folder of your own`;
      const used = await tessera(['organizations', 'list'], env);
      expect(used.status).toBe(4);
      expect(used.stderr).toBe(`tessera: ${folderRefusal}\n`);
      const logout = await tessera(['logout'], env);
      expect(logout.status).toBe(4);
      expect(logout.stderr).toBe(`tessera: ${folderRefusal}\n`);
      expect(fs.existsSync(file)).toBe(true);
      // Not revoked by that logout: the token still works.
      expect((await tessera(['organizations', 'list'], { TESSERA_URL: server.url, TESSERA_TOKEN: token })).status).toBe(0);

      // login refuses before it asks a server for a token: none is issued to be lost.
      const before = fs.readFileSync(file, 'utf8');
      const again = await tessera(['login', '--url', trap.url, '--username', superuser.username], { ...env, TESSERA_PASSWORD: superuser.password });
      expect(again.status).toBe(1);
      expect(again.stderr).toBe(`tessera: ${folderRefusal}\n`);
      expect(caught).toEqual([]);
      expect(fs.readFileSync(file, 'utf8')).toBe(before);

      // The user's own again: used, and logout revokes it.
      fs.chownSync(folder, 0, 0);
      expect((await tessera(['organizations', 'list'], env)).status).toBe(0);
      expect((await tessera(['logout'], env)).status).toBe(0);
      expect((await tessera(['organizations', 'list'], { TESSERA_URL: server.url, TESSERA_TOKEN: token })).status).toBe(4);
    });

    it('login replaces a file another user put in the folder of its own, with one of the user', async () => {
      const folder = newConfigDir();
      const file = writeCredentials(folder, trap.url);
      fs.chownSync(file, anotherUser, anotherUser);
      const login = await tessera(['login', '--url', server.url, '--username', superuser.username], { TESSERA_CONFIG_DIR: folder, TESSERA_PASSWORD: superuser.password });
      expect(login.status, login.stderr).toBe(0);
      expect(fs.statSync(file).uid).toBe(0);
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ url: server.url });
      expect((await tessera(['organizations', 'list'], { TESSERA_CONFIG_DIR: folder })).status).toBe(0);
      expect(caught).toEqual([]);
    });
  });

  describe.skipIf(process.platform === 'win32')('a credentials folder others may write in, or a FIFO in place of the file', () => {
    it('is refused by every command, logout included, at once and with what to do', async () => {
      const folder = newConfigDir();
      writeCredentials(folder, 'http://127.0.0.1:9');
      fs.chmodSync(folder, 0o777);
      for (const args of [['organizations', 'list'], ['logout']]) {
        const answer = await tessera(args, { TESSERA_CONFIG_DIR: folder });
        expect(answer.status, args.join(' ')).toBe(4);
        expect(answer.stderr).toMatch(/may be written by other users: chmod go-w it/);
      }
      const login = await tessera(['login', '--url', 'http://127.0.0.1:9', '--username', 'superuser'], { TESSERA_CONFIG_DIR: folder, TESSERA_PASSWORD: 'x' });
      expect(login.status).toBe(1);
      expect(login.stderr).toMatch(/may be written by other users/);
    });

    it('reads no FIFO at the credentials path: it says so instead of waiting for a writer for ever', async () => {
      const folder = newConfigDir();
      await run('mkfifo', [path.join(folder, 'credentials.json')]);
      for (const args of [['organizations', 'list'], ['logout']]) {
        const answer = await tessera(args, { TESSERA_CONFIG_DIR: folder });
        expect(answer.status, args.join(' ')).toBe(4);
        expect(answer.stderr).toMatch(/credentials\.json is not a file/);
      }
    });
  });

  it('stores no token from a login answer it could not read back, and says why', async () => {
    // A server answering a token with a lifetime no date holds and a terminal escape in the user's
    // name: stored, it was a file no command (logout included) could read, its token never revoked.
    const { url, server } = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"tsr_at_x","expires_in":1e308,"user":{"uuid":"00000000-0000-4000-8000-000000000000","username":"x\\u001b[31m"}}');
    });
    try {
      const folder = newConfigDir();
      const login = await tessera(['login', '--url', url, '--username', 'superuser'], { TESSERA_CONFIG_DIR: folder, TESSERA_PASSWORD: 'x' });
      expect(login.status).toBe(1);
      expect(login.stderr).toMatch(/answered a token that is not well formed/);
      expect(fs.readdirSync(folder)).toEqual([]);
    } finally {
      await close(server);
    }
  });

  describe('an answer larger than any a Tessera server sends', () => {
    const cap = 8 * 1024 * 1024;
    /** What the malicious server wrote of each answer before the CLI closed the connection. */
    const written: number[] = [];
    let endless: { url: string; server: http.Server };

    beforeAll(async () => {
      // A chunked answer without end, written as fast as the CLI reads it; an error status for
      // /fail (error answers are read too), gzip for /gzip (a few KiB that inflate without end).
      endless = await listen((req, res) => {
        const gzip = req.url?.startsWith('/gzip');
        res.writeHead(req.url?.startsWith('/fail') ? 500 : 200, { 'content-type': 'application/json', ...(gzip && { 'content-encoding': 'gzip' }) });
        let bytes = 0;
        const sink = gzip ? zlib.createGzip() : res;
        if (sink !== res) sink.on('data', (compressed: Buffer) => (bytes += compressed.length)).pipe(res);
        const chunk = Buffer.alloc(64 * 1024, ' ');
        const pour = () => {
          while (!res.destroyed) {
            if (sink === res) bytes += chunk.length;
            if (!sink.write(chunk)) return void sink.once('drain', pour);
          }
        };
        res.once('close', () => written.push(bytes));
        res.on('error', () => {});
        pour();
      });
    });
    afterAll(async () => {
      if (endless) await close(endless.server);
    });

    /** The CLI stopped reading: the server could hand over little more than the cap before the connection closed (the rest sat in socket buffers). */
    async function expectReadingStopped(): Promise<void> {
      await expect.poll(() => written.length).toBe(1);
      expect(written.splice(0)[0]).toBeLessThan(cap + 32 * 1024 * 1024);
    }

    it('ends any command at 8 MiB, in one line with exit 1, whatever the status or the encoding', async () => {
      for (const prefix of ['', '/fail', '/gzip']) {
        const answer = await tessera(['organizations', 'list'], { TESSERA_URL: `${endless.url}${prefix}`, TESSERA_TOKEN: 'x' });
        expect(answer.status).toBe(1);
        expect(answer.stderr).toBe(`tessera: ${endless.url}${prefix} answered more than 8 MiB, more than any answer of a Tessera server; the rest was not read (TESSERA_CLI_MAX_ANSWER_BYTES)\n`);
        expect(answer.stdout).toBe('');
        await expectReadingStopped();
      }
    });

    it('ends login and logout there too; logout keeps the file', async () => {
      const folder = newConfigDir();
      const login = await tessera(['login', '--url', endless.url, '--username', 'superuser'], { TESSERA_CONFIG_DIR: folder, TESSERA_PASSWORD: 'x' });
      expect(login.status).toBe(1);
      expect(login.stderr).toMatch(/answered more than 8 MiB/);
      expect(fs.readdirSync(folder)).toEqual([]);
      await expectReadingStopped();

      // The server that issued the stored token, turned hostile.
      const file = writeCredentials(folder, endless.url);
      const logout = await tessera(['logout'], { TESSERA_CONFIG_DIR: folder });
      expect(logout.status).toBe(1);
      expect(logout.stderr).toMatch(/answered more than 8 MiB/);
      expect(fs.existsSync(file)).toBe(true);
      await expectReadingStopped();
    });

    it('refuses at once an answer whose declared length passes the cap, and reads one within it', async () => {
      const organizations = Array.from({ length: 20_000 }, (_, i) => ({ name: `org-${i}`, uuid: '00000000-0000-4000-8000-000000000000', applications: {}, created: 0, padding: 'x'.repeat(300) }));
      const large = JSON.stringify({ action: 'get organizations', status: 'ok', data: { organizations } });
      expect(large.length).toBeGreaterThan(6 * 1024 * 1024);
      expect(large.length).toBeLessThan(cap);
      const { url, server } = await listen((req, res) => {
        if (req.url?.startsWith('/declared')) {
          // 600 MB announced; the little sent is never waited for past the headers.
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(600 * 1024 * 1024) }).write('{');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(large);
      });
      try {
        const declared = await tessera(['organizations', 'list'], { TESSERA_URL: `${url}/declared`, TESSERA_TOKEN: 'x' });
        expect(declared.status).toBe(1);
        expect(declared.stderr).toMatch(/answered more than 8 MiB/);
        const within = await tessera(['organizations', 'list'], { TESSERA_URL: url, TESSERA_TOKEN: 'x' });
        expect(within.status, within.stderr).toBe(0);
        expect(within.stdout).toMatch(/\norg-19999\s/);
      } finally {
        await close(server);
      }
    });
  });
});
