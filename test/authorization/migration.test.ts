import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { migrate, openDatabase, type Database } from '../../src/db/knex.js';
import { migrations } from '../../src/db/migrations/index.js';
import { freshDatabase } from '../helpers/server.js';

let database: Awaited<ReturnType<typeof freshDatabase>>;
let db: Database;

/** The migrations that ran before roles existed. */
const before: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations).filter((name) => name < '006').sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name]!,
};

beforeAll(async () => {
  database = await freshDatabase();
  db = openDatabase(database.url);
  await db.migrate.latest({ migrationSource: before });
  const now = Date.now();
  const [organization] = await db('organizations')
    .insert({ uuid: '00000000-0000-4000-8000-000000000001', name: 'old', client_id: 'b3U6old', client_secret_hash: 'x', created_at: now, modified_at: now })
    .returning('id');
  const organizationId = typeof organization === 'object' ? organization.id : organization;
  for (const [i, name] of ['sandbox', 'shop'].entries()) {
    await db('applications').insert({
      uuid: `00000000-0000-4000-8000-00000000010${i}`, organization_id: organizationId, name, client_id: `YXA6${name}`, client_secret_hash: 'x',
      auth_key: `key-${name}`, auth_secret_sealed: 'x', session_ttl_s: 7200, created_at: now, modified_at: now,
    });
  }
  await migrate(db);
});
afterAll(async () => {
  await db.destroy();
  await database.drop();
});

async function rolesOf(application: string): Promise<Record<string, string[]>> {
  const rows = await db('roles as r')
    .join('applications as a', 'a.id', 'r.application_id')
    .leftJoin('role_permissions as p', 'p.role_id', 'r.id')
    .where('a.name', application)
    .select<{ name: string; permission: string | null }[]>('r.name', 'p.permission');
  const roles: Record<string, string[]> = {};
  for (const row of rows) (roles[row.name] ??= []).push(...(row.permission ? [row.permission] : []));
  return roles;
}

describe('migration 006', () => {
  it('gives applications that existed before it the built-in roles, the sandbox open to guests', async () => {
    expect(await rolesOf('shop')).toEqual({ admin: [], default: ['get,put,post,delete:/**'], guest: ['post:/users'] });
    expect(await rolesOf('sandbox')).toEqual({ admin: [], default: ['get,put,post,delete:/**'], guest: ['get,put,post,delete:/**'] });
  });
});
