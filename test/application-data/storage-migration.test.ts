import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase, type Database } from '../../src/db/knex.js';
import { migrations } from '../../src/db/migrations/index.js';
import { freshDatabase } from '../helpers/server.js';

let database: Awaited<ReturnType<typeof freshDatabase>>;
let db: Database;

/** The migrations that ran before storage was counted. */
const before: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations).filter((name) => name < '010').sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name]!,
};

const stored = [
  { name: 'tom', data: { color: 'grey', toys: ['ball'] } },
  { name: null, data: { title: 'Amélie', note: '日本語' } },
];
const bytesOf = (e: { name: string | null; data: object }) => Buffer.byteLength(JSON.stringify(e.data)) + Buffer.byteLength(e.name ?? '');

beforeAll(async () => {
  database = await freshDatabase();
  db = openDatabase(database.url);
  await db.migrate.latest({ migrationSource: before });
  const now = Date.now();
  const [organization] = await db('organizations')
    .insert({ uuid: '00000000-0000-4000-8000-000000000001', name: 'old', client_id: 'b3U6old', client_secret_hash: 'x', created_at: now, modified_at: now })
    .returning('id');
  const organizationId = typeof organization === 'object' ? organization.id : organization;
  const ids: number[] = [];
  for (const [i, name] of ['shop', 'empty'].entries()) {
    const [application] = await db('applications')
      .insert({
        uuid: `00000000-0000-4000-8000-00000000010${i}`, organization_id: organizationId, name, client_id: `YXA6${name}`, client_secret_hash: 'x',
        auth_key: `key-${name}`, auth_secret_sealed: 'x', session_ttl_s: 7200, created_at: now, modified_at: now,
      })
      .returning('id');
    ids.push(typeof application === 'object' ? application.id : application);
  }
  for (const [i, e] of stored.entries()) {
    await db('entities').insert({
      uuid: `00000000-0000-4000-8000-00000000020${i}`, application_id: ids[0], collection: 'things', name: e.name, data: JSON.stringify(e.data),
      created_at: now, modified_at: now,
    });
  }
  await migrate(db);
});
afterAll(async () => {
  await db.destroy();
  await database.drop();
});

describe('migration 010', () => {
  it('counts the entities stored before it, in bytes as the server measures them', async () => {
    const rows = await db('application_storage as s').join('applications as a', 'a.id', 's.application_id').select('a.name', 's.bytes', 's.entities');
    expect(rows.map((r) => ({ name: r.name, bytes: Number(r.bytes), entities: Number(r.entities) }))).toEqual([
      { name: 'shop', bytes: stored.map(bytesOf).reduce((a, b) => a + b), entities: 2 },
    ]);
  });
});

describe('migration 012', () => {
  let usersDatabase: Awaited<ReturnType<typeof freshDatabase>>;
  let usersDb: Database;
  const upTo = (last: string): Knex.MigrationSource<string> => ({ ...before, getMigrations: async () => Object.keys(migrations).filter((name) => name <= last).sort() });
  const people = [{ username: 'ann', properties: { bio: 'Amélie', tags: ['日本語'] } }, { username: 'bob', properties: {} }];
  const propertiesBytes = (p: object) => Buffer.byteLength(JSON.stringify(p));
  const entity = { name: 'tom', data: { color: 'grey' } };

  beforeAll(async () => {
    usersDatabase = await freshDatabase();
    usersDb = openDatabase(usersDatabase.url);
    await usersDb.migrate.latest({ migrationSource: upTo('011') });
    const now = Date.now();
    const [organization] = await usersDb('organizations')
      .insert({ uuid: '00000000-0000-4000-8000-000000000001', name: 'old', client_id: 'b3U6old', client_secret_hash: 'x', created_at: now, modified_at: now })
      .returning('id');
    const organizationId = typeof organization === 'object' ? organization.id : organization;
    const ids: number[] = [];
    for (const [i, name] of ['shop', 'club', 'empty'].entries()) {
      const [application] = await usersDb('applications')
        .insert({
          uuid: `00000000-0000-4000-8000-00000000010${i}`, organization_id: organizationId, name, client_id: `YXA6${name}`, client_secret_hash: 'x',
          auth_key: `key-${name}`, auth_secret_sealed: 'x', session_ttl_s: 7200, created_at: now, modified_at: now,
        })
        .returning('id');
      ids.push(typeof application === 'object' ? application.id : application);
    }
    // The shop has an entity (counted by 010) and a user; the club only users, so no totals row yet.
    await usersDb('entities').insert({ uuid: '00000000-0000-4000-8000-000000000200', application_id: ids[0], collection: 'cats', name: entity.name, data: JSON.stringify(entity.data), created_at: now, modified_at: now });
    await usersDb('application_storage').insert({ application_id: ids[0], bytes: bytesOf(entity), entities: 1 });
    const users = [{ app: ids[0], ...people[0]! }, { app: ids[1], ...people[0]! }, { app: ids[1], ...people[1]! }];
    for (const [i, u] of users.entries()) {
      await usersDb('app_users').insert({
        uuid: `00000000-0000-4000-8000-00000000030${i}`, application_id: u.app, username: u.username, email: null, name: null, password_hash: 'x',
        activated: true, properties: JSON.stringify(u.properties), password_changed_at: now, created_at: now, modified_at: now,
      });
    }
    await migrate(usersDb);
  });
  afterAll(async () => {
    await usersDb.destroy();
    await usersDatabase.drop();
  });

  it('adds the users stored before it to their applications’ totals: one item and their properties’ bytes each', async () => {
    const rows = await usersDb('application_storage as s').join('applications as a', 'a.id', 's.application_id').select('a.name', 's.bytes', 's.entities').orderBy('a.name');
    expect(rows.map((r) => ({ name: r.name, bytes: Number(r.bytes), entities: Number(r.entities) }))).toEqual([
      { name: 'club', bytes: propertiesBytes(people[0]!.properties) + propertiesBytes(people[1]!.properties), entities: 2 },
      { name: 'shop', bytes: bytesOf(entity) + propertiesBytes(people[0]!.properties), entities: 2 },
    ]);
  });
});
