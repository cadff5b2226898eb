import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, type Database } from '../../src/db/knex.js';
import { databaseBefore } from '../helpers/old-database.js';

let old: Awaited<ReturnType<typeof databaseBefore>>;
let db: Database;

beforeAll(async () => {
  // Before roles existed.
  old = await databaseBefore('006', ['sandbox', 'shop']);
  ({ db } = old);
  await migrate(db);
});
afterAll(() => old.drop());

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
