import type { Knex } from 'knex';
import { openDatabase, type Database } from '../../src/db/knex.js';
import { migrations } from '../../src/db/migrations/index.js';
import { freshDatabase } from './database.js';

/**
 * A fresh database migrated only up to (not including) migration `upTo` — what a server deployed
 * before it would have — holding organization `old` and one application per name, the way those
 * migrations wrote them. Migration tests add their own rows, then run the rest.
 */
export async function databaseBefore(upTo: string, applications: readonly string[]) {
  const database = await freshDatabase();
  const db: Database = openDatabase(database.url);
  const before: Knex.MigrationSource<string> = {
    getMigrations: async () => Object.keys(migrations).filter((name) => name < upTo).sort(),
    getMigrationName: (name) => name,
    getMigration: async (name) => migrations[name]!,
  };
  await db.migrate.latest({ migrationSource: before });
  const now = Date.now();
  const [organization] = await db('organizations')
    .insert({ uuid: '00000000-0000-4000-8000-000000000001', name: 'old', client_id: 'b3U6old', client_secret_hash: 'x', created_at: now, modified_at: now })
    .returning('id');
  const organizationId = Number(typeof organization === 'object' ? organization.id : organization);
  const applicationIds: number[] = [];
  for (const [i, name] of applications.entries()) {
    const [application] = await db('applications')
      .insert({
        uuid: `00000000-0000-4000-8000-00000000010${i}`, organization_id: organizationId, name, client_id: `YXA6${name}`, client_secret_hash: 'x',
        auth_key: `key-${name}`, auth_secret_sealed: 'x', session_ttl_s: 7200, created_at: now, modified_at: now,
      })
      .returning('id');
    applicationIds.push(Number(typeof application === 'object' ? application.id : application));
  }
  return {
    db,
    organizationId,
    applicationIds,
    now,
    async drop() {
      await db.destroy();
      await database.drop();
    },
  };
}
