import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tessera } from '../helpers/api.js';
import { eventually, startInstance } from '../helpers/instance.js';

/** Starts `src/main.ts` as a real process (its own database, from TESSERA_DATA_DIR). */
const start = startInstance;

describe('the server process', () => {
  it('keeps a generated superuser password out of its output, in a file of the data dir only its owner reads, on the first start only; seeds the demo, and stops cleanly on SIGTERM', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-life-'));
    const env = { TESSERA_DATA_DIR: dataDir };
    const passwordFile = path.join(dataDir, 'superuser-password');
    try {
      const first = start(env, ['--demo']);
      const url = await first.ready;
      const password = fs.readFileSync(passwordFile, 'utf8').trim();
      expect(password).toMatch(/^\S{20,}$/);
      expect(fs.statSync(passwordFile).mode & 0o777).toBe(0o600);
      // The log is written behind: the line naming the file may follow the banner by a moment.
      const said = await eventually(async () => (first.output().includes(passwordFile) ? first.output() : undefined), 5000, 'the line naming the password file');
      expect(said).not.toContain(password);
      const signIn = await tessera(url).POST('/management/token', { body: { grant_type: 'password', username: 'superuser', password } });
      expect(signIn.response.status).toBe(200);
      expect(first.output()).toContain('Demo organization "demo"');
      const demoClient = { client_id: /app client: +client_id=(\S+)/.exec(first.output())![1]!, client_secret: 'tsr_cs_demo-storefront-client-secret' };
      const alice = await tessera(url).GET('/{org}/{app}/users/{user}', { params: { path: { org: 'demo', app: 'storefront', user: 'alice' }, query: demoClient } });
      expect(alice.response.status).toBe(200);
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      // The database holds password hashes and users' data: only its owner reads it, or the key.
      for (const file of ['tessera.sqlite', 'tessera.sqlite-wal', 'server.key']) {
        if (fs.existsSync(path.join(dataDir, file))) expect(fs.statSync(path.join(dataDir, file)).mode & 0o077, file).toBe(0);
      }
      expect(fs.existsSync(path.join(dataDir, 'tessera.sqlite'))).toBe(true);
      expect(fs.existsSync(path.join(dataDir, 'server.key'))).toBe(true);

      fs.rmSync(passwordFile);
      const second = start(env, ['--demo']);
      await second.ready;
      expect(second.output()).not.toContain('generated password');
      expect(fs.existsSync(passwordFile)).toBe(false);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  // Three processes started one after another: on a machine busy with other suites each start can take seconds.
  it('creates no superuser on a start that fails before listening, so the next start still generates and saves its password', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-life-'));
    const blocker = start({ TESSERA_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-life-')), TESSERA_SUPERUSER_PASSWORD: 'blocker-password' });
    let next: ReturnType<typeof start> | undefined;
    try {
      const port = new URL(await blocker.ready).port;
      const failed = start({ TESSERA_DATA_DIR: dataDir, PORT: port });
      await expect(failed.ready).rejects.toThrow(/EADDRINUSE/);
      expect(fs.existsSync(path.join(dataDir, 'superuser-password'))).toBe(false);
      next = start({ TESSERA_DATA_DIR: dataDir });
      await next.ready;
      expect(fs.readFileSync(path.join(dataDir, 'superuser-password'), 'utf8').trim()).toMatch(/^\S{20,}$/);
    } finally {
      // Every process this test started ends with it, whatever failed.
      for (const started of [next, blocker]) started?.child.kill('SIGTERM');
      expect(await blocker.exited).toBe(0);
      if (next) expect(await next.exited).toBe(0);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);

  it('writes the access-log line of every answered request before it exits on SIGTERM (the log is written behind)', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-life-'));
    const server = start({ TESSERA_DATA_DIR: dataDir, TESSERA_SUPERUSER_PASSWORD: 'access-log-password' });
    try {
      const url = await server.ready;
      const answered = 300;
      for (let sent = 0; sent < answered; sent += 30) {
        const batch = await Promise.all(Array.from({ length: 30 }, (_, i) => fetch(`${url}/healthz`, { headers: { 'x-request-id': `line-${sent + i}` } })));
        for (const response of batch) expect(response.status).toBe(200);
      }
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      const logged = new Set([...server.output().matchAll(/"requestId":"(line-\d+)"/g)].map((m) => m[1]));
      expect(logged.size).toBe(answered);
    } finally {
      server.child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to start with a bad setting and says which', async () => {
    const bad = start({ DATABASE_URL: 'mysql://nope' });
    await expect(bad.ready).rejects.toThrow(/DATABASE_URL must start with sqlite: or postgres/);
  });
});
