import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseInUse, holdInstanceLock } from '../../src/db/instance-lock.js';
import { startInstance } from '../helpers/instance.js';

const onPostgres = /^postgres(ql)?:\/\//.test(process.env.TEST_DATABASE_URL ?? '');

/**
 * SQLite is one instance (src/db/instance-lock.ts): a second server on the same file is refused
 * before it changes anything, and a server killed outright leaves no lock behind.
 */
describe.skipIf(onPostgres)('a SQLite database held by one server', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-instance-lock-'));
  const env = { TESSERA_DATA_DIR: dataDir, TESSERA_SUPERUSER_PASSWORD: 'instance-lock-password' };
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a second server on the same file, which exits 1 saying why; the first answers on, and a kill -9 leaves no lock', async () => {
    const first = startInstance(env);
    const url = await first.ready;
    try {
      const second = startInstance(env);
      expect(await second.exited).toBe(1);
      expect(second.output()).toMatch(/another Tessera server is running on .*tessera\.sqlite: SQLite is one instance/);
      expect(second.output()).not.toMatch(/listening/);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
    } finally {
      first.child.kill('SIGKILL');
      await first.exited;
    }
    // The system dropped the killed server's lock: the next start is not refused.
    const restarted = startInstance(env);
    try {
      expect((await fetch(`${await restarted.ready}/readyz`)).status).toBe(200);
    } finally {
      await restarted.stop();
    }
  });

  it('is taken again when its file is removed or replaced while held, and says so when another server got it first', () => {
    const url = `sqlite:${path.join(dataDir, 'rechecked.sqlite')}`;
    const lock = holdInstanceLock(url)!;
    expect(lock.recheck()).toBe('held');
    // A clean-up of "stale lock files": without a recheck, the next server locked a new file.
    fs.rmSync(lock.lockFile);
    expect(lock.recheck()).toBe('retaken');
    expect(() => holdInstanceLock(url)).toThrow(DatabaseInUse);
    fs.renameSync(lock.lockFile, `${lock.lockFile}-moved`);
    const intruder = holdInstanceLock(url)!;
    expect(lock.recheck()).toBe('lost');
    intruder.release();
    expect(lock.recheck()).toBe('retaken');
    expect(lock.recheck()).toBe('held');
    lock.release();
  });

  it('is held until released, within one process too, whatever path names the file, and never for :memory:', () => {
    const url = `sqlite:${path.join(dataDir, 'in-process.sqlite')}`;
    const lock = holdInstanceLock(url)!;
    expect(() => holdInstanceLock(url)).toThrow(DatabaseInUse);
    // The same file by a symlink of its own (another name: another lock file, unless named after the
    // real path), by a symlinked folder, by `..` and by a relative path.
    const linkedFile = path.join(dataDir, 'linked.sqlite');
    fs.symlinkSync(path.join(dataDir, 'in-process.sqlite'), linkedFile);
    fs.symlinkSync(dataDir, `${dataDir}-link`);
    try {
      const aliases = [
        linkedFile,
        path.join(`${dataDir}-link`, 'in-process.sqlite'),
        path.join(dataDir, '..', path.basename(dataDir), 'in-process.sqlite'),
        path.relative(process.cwd(), path.join(dataDir, 'in-process.sqlite')),
      ];
      for (const alias of aliases) expect(() => holdInstanceLock(`sqlite:${alias}`), alias).toThrow(DatabaseInUse);
    } finally {
      fs.rmSync(`${dataDir}-link`);
    }
    lock.release();
    holdInstanceLock(url)!.release();
    expect(holdInstanceLock('sqlite::memory:')).toBeUndefined();
  });
});
