import { execFile } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { openDatabase } from '../../src/db/knex.js';
import { keyCheckValue, keyId, SecretBox } from '../../src/secrets/secret-box.js';
import { freshDatabase, type ScratchDatabase } from '../helpers/database.js';
import { createOrganization, type OrganizationFixture } from '../helpers/fixtures.js';
import { startInstance, type Instance } from '../helpers/instance.js';
import { openSession, postSession, qb, sessionRequest, withSession } from '../helpers/quickblox.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const newKey = () => randomBytes(32);
const hex = (key: Buffer) => key.toString('hex');

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function scratchDatabase(): Promise<ScratchDatabase> {
  const database = await freshDatabase();
  cleanup.push(() => database.drop());
  return database;
}

/** A test server on `database` with this ring; closed after the test. */
async function serverWith(database: ScratchDatabase, key: Buffer, previous: Buffer[] = []): Promise<TestServer> {
  const server = await startTestServer({ database, config: { secretKey: hex(key), previousSecretKeys: previous.map(hex) } });
  cleanup.push(() => server.close());
  return server;
}

/** Reads the database as a separate client would. */
async function withDb<T>(database: ScratchDatabase, work: (db: ReturnType<typeof openDatabase>) => Promise<T>): Promise<T> {
  const db = openDatabase(database.url);
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

const sealedSecrets = (database: ScratchDatabase) => withDb(database, async (db) => ((await db('applications').select('auth_secret_sealed')) as { auth_secret_sealed: string }[]).map((r) => r.auth_secret_sealed));
const storedChecks = (database: ScratchDatabase) => withDb(database, async (db) => (await db('settings').where({ name: 'server_key_checks' }).first('value')) as { value: string } | undefined);

/** A QuickBlox session opens (the sealed auth secret is read) and a session opened before still answers. */
async function expectSessionsWork(server: TestServer, org: OrganizationFixture, earlier?: string): Promise<string> {
  const token = await openSession(server.url, org, systemClock);
  if (earlier) expect((await withSession(server.url, earlier).GET('/session.json')).response.status).toBe(200);
  return token;
}

/** `tessera rotate-key`, run as the README says, against `database`. */
const execFileAsync = promisify(execFile);

// Run as a child process the test waits for without blocking: the instance under test lives in this
// process and must keep serving while the rotation runs (a blocked event loop also let its idle
// keep-alive connections time out under the client, which then failed with ECONNRESET).
async function rotateKey(database: ScratchDatabase, key: Buffer, previous: Buffer[], args: string[] = []) {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const env = { ...inherited, DATABASE_URL: database.url, TESSERA_DATA_DIR: database.dataDir, TESSERA_SECRET_KEY: hex(key), TESSERA_PREVIOUS_SECRET_KEYS: previous.map(hex).join(',') };
  try {
    const { stdout, stderr } = await execFileAsync(path.join(root, 'bin', 'tessera.mjs'), ['rotate-key', ...args], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { status: typeof failed.code === 'number' ? failed.code : null, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('the key check value', () => {
  it('refuses a second start on the same database without the first start\'s data folder, naming TESSERA_SECRET_KEY, in one line; the first key still works', async () => {
    const database = await scratchDatabase();
    const env = { DATABASE_URL: database.url, TESSERA_SUPERUSER_PASSWORD: 'superuser-password' };
    const firstDir = fs.mkdtempSync(path.join(database.dataDir, 'first-'));
    const otherDir = fs.mkdtempSync(path.join(database.dataDir, 'other-'));
    const stopAll: Instance[] = [];
    cleanup.push(async () => {
      for (const instance of stopAll) await instance.stop(1000);
    });
    const first = startInstance({ ...env, TESSERA_DATA_DIR: firstDir });
    stopAll.push(first);
    const org = await createOrganization(await first.ready, 'acme');
    await first.stop();

    const second = startInstance({ ...env, TESSERA_DATA_DIR: otherDir });
    stopAll.push(second);
    expect(await second.exited).toBe(1);
    expect(second.output().trim()).toMatch(/^Tessera could not start: TESSERA_SECRET_KEY is not the key this database's secrets were sealed under/);
    expect(second.output().trim().split('\n')).toHaveLength(1);
    // The key it generated was never saved: the next start would only be refused again.
    expect(fs.existsSync(path.join(otherDir, 'server.key'))).toBe(false);

    const third = startInstance({ ...env, TESSERA_DATA_DIR: otherDir, TESSERA_SECRET_KEY: fs.readFileSync(path.join(firstDir, 'server.key'), 'utf8').trim() });
    stopAll.push(third);
    const url = await third.ready;
    await openSession(url, org, systemClock);
    expect(third.output()).toContain(`"serverKeyId":"${keyId(Buffer.from(fs.readFileSync(path.join(firstDir, 'server.key'), 'utf8').trim(), 'base64'))}"`);
  }, 60_000);

  it('stores an HMAC of a fixed label under the key, never the key, and refuses another key', async () => {
    const database = await scratchDatabase();
    const key = newKey();
    const server = await serverWith(database, key);
    const org = await createOrganization(server.url, 'acme');
    await server.close();
    const stored = await storedChecks(database);
    expect(JSON.parse(stored!.value)).toEqual([keyCheckValue(key)]);
    expect(stored!.value).not.toContain(hex(key));
    expect(stored!.value).not.toContain(key.toString('base64'));
    expect(stored!.value).not.toContain(key.toString('base64url'));

    await expect(startTestServer({ database, config: { secretKey: hex(newKey()) } })).rejects.toThrow(/TESSERA_SECRET_KEY is not the key/);
    const again = await serverWith(database, key);
    await expectSessionsWork(again, org);
    await again.close();

    // A damaged record is not trusted: the start fails closed.
    await withDb(database, (db) => db('settings').update({ value: '"everything"' }));
    await expect(startTestServer({ database, config: { secretKey: hex(key) } })).rejects.toThrow(/server_key_checks is not a list of key check values/);
  });

  it('refuses a start when a sealed value names a key outside the ring, even though the check values list only the given key', async () => {
    // What an instance that kept the old key past a rotation leaves: rotate-key recorded the new key
    // alone, then the old instance sealed one more secret under the old key.
    const database = await scratchDatabase();
    const oldKey = newKey();
    const key = newKey();
    const server = await serverWith(database, oldKey);
    await createOrganization(server.url, 'acme');
    await server.close();
    await withDb(database, (db) => db('settings').where({ name: 'server_key_checks' }).update({ value: JSON.stringify([keyCheckValue(key)]) }));
    await expect(startTestServer({ database, config: { secretKey: hex(key) } })).rejects.toThrow(/TESSERA_SECRET_KEY.*sealed under another key/s);
    // With the old key among the previous ones, it starts, and its secrets open.
    const both = await serverWith(database, key, [oldKey]);
    await both.close();
  });

  it('a database from before check values: one sealed secret must open (values sealed in the old format too), then the check value is stored', async () => {
    const database = await scratchDatabase();
    const key = newKey();
    const server = await serverWith(database, key);
    const org = await createOrganization(server.url, 'acme');
    await server.close();
    // As the version before key ids sealed it, and no check value yet.
    await withDb(database, async (db) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(org.app.authSecret, 'utf8'), cipher.final()]);
      const v1 = ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
      await db('applications').update({ auth_secret_sealed: v1 });
      await db('settings').delete();
    });
    await expect(startTestServer({ database, config: { secretKey: hex(newKey()) } })).rejects.toThrow(/TESSERA_SECRET_KEY is not the key .*does not open with it/);
    expect(await storedChecks(database)).toBeUndefined();

    const upgraded = await serverWith(database, key);
    expect(JSON.parse((await storedChecks(database))!.value)).toEqual([keyCheckValue(key)]);
    await expectSessionsWork(upgraded, org);
  });
});

describe('tessera rotate-key', () => {
  it('re-seals every secret under the new key in batches while an instance runs, tokens issued before keep working, and is safe to re-run', async () => {
    const database = await scratchDatabase();
    const [oldKey, key] = [newKey(), newKey()];
    const before = await serverWith(database, oldKey);
    const acme = await createOrganization(before.url, 'acme');
    const session = await expectSessionsWork(before, acme);
    await before.close();

    // Several instances' first step: the new key is known, still not sealing.
    const knowing = await serverWith(database, oldKey, [key]);
    await expectSessionsWork(knowing, acme, session);
    await knowing.close();
    expect(JSON.parse((await storedChecks(database))!.value)).toEqual([keyCheckValue(oldKey)]);

    // Then the instance restarts with the new key, the old one among its previous keys.
    const server = await serverWith(database, key, [oldKey]);
    await expectSessionsWork(server, acme, session);
    // Sealed under the new key already: mixed with the old ones until the rotation.
    const globex = await createOrganization(server.url, 'globex');
    expect(JSON.parse((await storedChecks(database))!.value)).toEqual([keyCheckValue(oldKey), keyCheckValue(key)]);
    // A start with the old key alone would not open what the new key sealed. (On SQLite a second
    // server is refused before that, while this one runs: one instance. The same start after it stops, below.)
    const onSqlite = database.url.startsWith('sqlite:');
    await expect(startTestServer({ database, config: { secretKey: hex(oldKey) } })).rejects.toThrow(onSqlite ? /another Tessera server is running/ : /TESSERA_SECRET_KEY/);

    // The rotation, while the instance serves.
    const oldSealed = (await sealedSecrets(database)).filter((sealed) => !sealed.startsWith(`v2.${keyId(key)}.`));
    expect(oldSealed).toHaveLength(2); // acme's application and its sandbox
    const rotated = await rotateKey(database, key, [oldKey], ['--batch-size', '1']);
    expect(rotated.stderr).toBe('');
    expect(rotated.status).toBe(0);
    expect(rotated.stdout).toMatch(/re-sealed 2 secrets/);
    for (const sealed of await sealedSecrets(database)) expect(sealed.startsWith(`v2.${keyId(key)}.`)).toBe(true);
    expect(JSON.parse((await storedChecks(database))!.value)).toEqual([keyCheckValue(key)]);
    await expectSessionsWork(server, acme, session);
    await expectSessionsWork(server, globex);
    expect((await rotateKey(database, key, [oldKey])).stdout).toMatch(/re-sealed 0 secrets/);
    await server.close();

    // The old key is no longer needed, and no longer accepted alone.
    await expect(startTestServer({ database, config: { secretKey: hex(oldKey) } })).rejects.toThrow(/TESSERA_SECRET_KEY/);
    const after = await serverWith(database, key);
    await expectSessionsWork(after, acme, session);
    await expectSessionsWork(after, globex);
  }, 90_000);

  /**
   * The moment rotate-key re-seals an application's secret, made certain with a trigger: when the
   * session's token is stored, the application's sealed value is replaced. openSession reads the
   * application again after storing the token, to catch a credential rotation signed around.
   */
  it('does not refuse a QuickBlox session whose application was re-sealed meanwhile, and still refuses one whose secret changed', async () => {
    const database = await scratchDatabase();
    const key = newKey();
    const server = await serverWith(database, key);
    const acme = await createOrganization(server.url, 'acme');
    const box = new SecretBox(key);
    const replaceOnTokenInsert = (sealed: string) =>
      withDb(database, async (db) => {
        const update = `update applications set auth_secret_sealed = '${sealed}' where id = ${acme.app.applicationId}`;
        if (db.client.config.client === 'pg') {
          await db.raw(`create or replace function reseal() returns trigger language plpgsql as $$ begin ${update}; return new; end $$`);
          await db.raw('drop trigger if exists reseal on tokens');
          await db.raw('create trigger reseal after insert on tokens for each row execute function reseal()');
        } else {
          await db.raw('drop trigger if exists reseal');
          await db.raw(`create trigger reseal after insert on tokens begin ${update}; end`);
        }
      });

    await replaceOnTokenInsert(box.seal(acme.app.authSecret));
    const resealed = await postSession(qb(server.url), sessionRequest(acme, systemClock));
    expect(resealed.response.status).toBe(201);

    await replaceOnTokenInsert(box.seal('another-auth-secret'));
    const rotated = await postSession(qb(server.url), sessionRequest(acme, systemClock));
    expect(rotated.response.status).toBe(422);
  });

  it('refuses to run without the key that sealed the secrets, and changes nothing', async () => {
    const database = await scratchDatabase();
    const [oldKey, key] = [newKey(), newKey()];
    const server = await serverWith(database, oldKey);
    await createOrganization(server.url, 'acme');
    await server.close();
    const sealed = await sealedSecrets(database);
    const refused = await rotateKey(database, key, []);
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim()).toMatch(/^tessera: TESSERA_SECRET_KEY is not the key/);
    expect(await sealedSecrets(database)).toEqual(sealed);
    expect(JSON.parse((await storedChecks(database))!.value)).toEqual([keyCheckValue(oldKey)]);
  });
});
