import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuplicateRecord } from '../../src/db/duplicates.js';
import { migrate, openDatabase, type Database } from '../../src/db/knex.js';
import { repositoriesFor, type Repositories } from '../../src/deps.js';
import { freshDatabase } from '../helpers/database.js';

/**
 * Errors are typed and rendered once per family: code throws a named class of `src/errors.ts`,
 * and repositories turn the driver's unique violation into `DuplicateRecord`, so no code above
 * `src/db/` reads a driver's error codes.
 */
const src = path.resolve(import.meta.dirname, '..', '..', 'src');

/** Every TypeScript file under `src/`, relative to it, with its text. */
function sources(): { file: string; text: string }[] {
  return fs
    .readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => ({ file: file.split(path.sep).join('/'), text: fs.readFileSync(path.join(src, file), 'utf8') }));
}

describe('the source', () => {
  it('reads sources at all (the checks below would pass on none)', () => {
    expect(sources().map((s) => s.file)).toEqual(expect.arrayContaining(['errors.ts', 'db/duplicates.ts', 'domain/entities.ts']));
  });

  it("names the driver's unique-violation check only inside src/db/", () => {
    const outside = sources().filter(({ file, text }) => !file.startsWith('db/') && /\bisUniqueViolation\b/.test(text));
    expect(outside.map((s) => s.file)).toEqual([]);
  });

  it('builds no ApiError outside src/errors.ts: every error is thrown as a named class', () => {
    const raw = sources().filter(({ file, text }) => file !== 'errors.ts' && /\bnew\s+ApiError\s*\(/.test(text));
    expect(raw.map((s) => s.file)).toEqual([]);
  });
});

describe('repositories', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let db: Database;
  let repositories: Repositories;
  const now = 1_700_000_000_000;
  const quota = { bytes: 1_000_000, entities: 1000 };

  beforeAll(async () => {
    database = await freshDatabase();
    db = openDatabase(database.url);
    await migrate(db);
    repositories = repositoriesFor(db, { pageMaxBytes: 1_000_000 });
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  /** What a write threw: the record a `DuplicateRecord` names, or the error itself. */
  const refusal = (write: Promise<unknown>) =>
    write.then(
      () => 'stored',
      (error: unknown) => (error instanceof DuplicateRecord ? error.record : error),
    );

  const organization = (name: string) =>
    repositories.organizations.insert({ uuid: crypto.randomUUID(), name, clientId: `org-${crypto.randomUUID()}`, clientSecretHash: 'x', createdAt: now, modifiedAt: now });
  const application = (organizationId: number, name: string) =>
    repositories.applications.insert({
      uuid: crypto.randomUUID(), organizationId, name, clientId: `app-${crypto.randomUUID()}`, clientSecretHash: 'x', authKey: crypto.randomUUID(),
      authSecretSealed: 'x', accessTokenTtlMs: null, sessionTtlS: 7200, sessionLifetimeS: 86400, appSessionAccess: 'guest', createdAt: now, modifiedAt: now,
    });
  const user = (applicationId: number, username: string, email: string) =>
    repositories.appUsers.insert(
      {
        uuid: crypto.randomUUID(), applicationId, username, email, name: null, passwordHash: 'x', activated: true, properties: {},
        passwordChangedAt: now, createdAt: now, modifiedAt: now,
      },
      quota,
    );
  const entity = (applicationId: number, name: string) =>
    repositories.entities.insert(
      { uuid: crypto.randomUUID(), applicationId, collection: 'movies', name, data: {}, creatorId: null, createdAt: now, modifiedAt: now },
      quota,
    );
  const named = (applicationId: number, name: string) => ({ uuid: crypto.randomUUID(), applicationId, name, title: name, createdAt: now, modifiedAt: now });

  it('answer a name, username or email already taken with DuplicateRecord, naming the kind of record', async () => {
    const acme = await organization('acme');
    expect(await refusal(organization('acme'))).toBe('organization');

    const app = await application(acme.id, 'shop');
    expect(await refusal(application(acme.id, 'shop'))).toBe('application');

    await repositories.adminUsers.insert({
      uuid: crypto.randomUUID(), username: 'ada', email: 'ada@example.com', name: 'Ada', passwordHash: 'x', superuser: false, activated: true,
      passwordChangedAt: now, createdAt: now, modifiedAt: now,
    });
    expect(
      await refusal(
        repositories.adminUsers.insert({
          uuid: crypto.randomUUID(), username: 'ADA', email: 'other@example.com', name: 'Ada', passwordHash: 'x', superuser: false, activated: true,
          passwordChangedAt: now, createdAt: now, modifiedAt: now,
        }),
      ),
    ).toBe('admin user');

    const alice = await user(app.id, 'alice', 'alice@example.com');
    await user(app.id, 'bob', 'bob@example.com');
    expect(await refusal(user(app.id, 'Alice', 'new@example.com'))).toBe('application user');
    expect(await refusal(repositories.appUsers.update(alice.id, { email: 'bob@example.com' }, now, quota))).toBe('application user');
    expect(await refusal(repositories.appUsers.update(alice.id, { username: 'bob', properties: { a: 1 } }, now, quota))).toBe('application user');

    await repositories.roles.insert(named(app.id, 'editor'));
    expect(await refusal(repositories.roles.insert(named(app.id, 'editor')))).toBe('role');
    await repositories.groups.insert(named(app.id, 'staff'));
    expect(await refusal(repositories.groups.insert(named(app.id, 'staff')))).toBe('group');

    const heat = await entity(app.id, 'heat');
    await entity(app.id, 'ronin');
    expect(await refusal(entity(app.id, 'heat'))).toBe('entity');
    expect(await refusal(repositories.entities.update(heat.id, 'ronin', {}, now, quota))).toBe('entity');
  });

  it('leave the storage totals as they were when a duplicate is refused', async () => {
    const org = await organization('globex');
    const app = await application(org.id, 'store');
    await entity(app.id, 'alien');
    const before = await db('application_storage').where({ application_id: app.id }).first();
    await expect(entity(app.id, 'alien')).rejects.toBeInstanceOf(DuplicateRecord);
    expect(await db('application_storage').where({ application_id: app.id }).first()).toEqual(before);
  });

  it("keep the driver's message and error, which name the index, for a log line or a start that fails on a duplicate", async () => {
    const org = await organization('initech');
    await application(org.id, 'one');
    const error = await application(org.id, 'one').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DuplicateRecord);
    const duplicate = error as DuplicateRecord;
    expect(duplicate.message).toMatch(/unique/i);
    expect(duplicate.message).toBe((duplicate.cause as Error).message);
  });

  it('pass any other refusal on as it was', async () => {
    const error = await repositories.roles.insert(named(999_999, 'orphan')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(DuplicateRecord);
  });
});
