import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, type Database } from '../../src/db/knex.js';
import { databaseBefore } from '../helpers/old-database.js';

let old: Awaited<ReturnType<typeof databaseBefore>>;
let db: Database;

const stored = [
  { name: 'tom', data: { color: 'grey', toys: ['ball'] } },
  { name: null, data: { title: 'Amélie', note: '日本語' } },
];
const bytesOf = (e: { name: string | null; data: object }) => Buffer.byteLength(JSON.stringify(e.data)) + Buffer.byteLength(e.name ?? '');

beforeAll(async () => {
  // Before storage was counted.
  old = await databaseBefore('010', ['shop', 'empty']);
  ({ db } = old);
  const { now, applicationIds: ids } = old;
  for (const [i, e] of stored.entries()) {
    await db('entities').insert({
      uuid: `00000000-0000-4000-8000-00000000020${i}`, application_id: ids[0], collection: 'things', name: e.name, data: JSON.stringify(e.data),
      created_at: now, modified_at: now,
    });
  }
  await migrate(db);
});
afterAll(() => old.drop());

describe('migration 010', () => {
  it('counts the entities stored before it, in bytes as the server measures them', async () => {
    const rows = await db('application_storage as s').join('applications as a', 'a.id', 's.application_id').select('a.name', 's.bytes', 's.entities');
    expect(rows.map((r) => ({ name: r.name, bytes: Number(r.bytes), entities: Number(r.entities) }))).toEqual([
      { name: 'shop', bytes: stored.map(bytesOf).reduce((a, b) => a + b), entities: 2 },
    ]);
  });
});

describe('migration 012', () => {
  let users: Awaited<ReturnType<typeof databaseBefore>>;
  let usersDb: Database;
  const people = [{ username: 'ann', properties: { bio: 'Amélie', tags: ['日本語'] } }, { username: 'bob', properties: {} }];
  const propertiesBytes = (p: object) => Buffer.byteLength(JSON.stringify(p));
  const entity = { name: 'tom', data: { color: 'grey' } };

  beforeAll(async () => {
    users = await databaseBefore('012', ['shop', 'club', 'empty']);
    ({ db: usersDb } = users);
    const { now, applicationIds: ids } = users;
    // The shop has an entity (counted by 010) and a user; the club only users, so no totals row yet.
    await usersDb('entities').insert({ uuid: '00000000-0000-4000-8000-000000000200', application_id: ids[0], collection: 'cats', name: entity.name, data: JSON.stringify(entity.data), created_at: now, modified_at: now });
    await usersDb('application_storage').insert({ application_id: ids[0], bytes: bytesOf(entity), entities: 1 });
    const stored = [{ app: ids[0], ...people[0]! }, { app: ids[1], ...people[0]! }, { app: ids[1], ...people[1]! }];
    for (const [i, u] of stored.entries()) {
      await usersDb('app_users').insert({
        uuid: `00000000-0000-4000-8000-00000000030${i}`, application_id: u.app, username: u.username, email: null, name: null, password_hash: 'x',
        activated: true, properties: JSON.stringify(u.properties), password_changed_at: now, created_at: now, modified_at: now,
      });
    }
    await migrate(usersDb);
  });
  afterAll(() => users.drop());

  it('adds the users stored before it to their applications’ totals: one item and their properties’ bytes each', async () => {
    const rows = await usersDb('application_storage as s').join('applications as a', 'a.id', 's.application_id').select('a.name', 's.bytes', 's.entities').orderBy('a.name');
    expect(rows.map((r) => ({ name: r.name, bytes: Number(r.bytes), entities: Number(r.entities) }))).toEqual([
      { name: 'club', bytes: propertiesBytes(people[0]!.properties) + propertiesBytes(people[1]!.properties), entities: 2 },
      { name: 'shop', bytes: bytesOf(entity) + propertiesBytes(people[0]!.properties), entities: 2 },
    ]);
  });
});
