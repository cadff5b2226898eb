import type { Knex } from 'knex';

/**
 * Users count against their application's storage quota from now on, as one item and the bytes of
 * their properties each (see repositories/app-users.ts); the users stored before are counted here,
 * added to the entities migration 010 counted.
 */
export async function up(db: Knex): Promise<void> {
  for (const row of await usersPerApplication(db)) {
    await db('application_storage').insert({ application_id: row.application_id, bytes: 0, entities: 0 }).onConflict('application_id').ignore();
    await db('application_storage').where({ application_id: row.application_id }).increment({ bytes: Number(row.bytes), entities: Number(row.users) });
  }
}

export async function down(db: Knex): Promise<void> {
  for (const row of await usersPerApplication(db)) {
    await db('application_storage').where({ application_id: row.application_id }).decrement({ bytes: Number(row.bytes), entities: Number(row.users) });
  }
}

async function usersPerApplication(db: Knex): Promise<{ application_id: number; bytes: number | string; users: number | string }[]> {
  return (await db('app_users')
    .select('application_id')
    .sum({ bytes: db.raw(bytes(db, 'properties')) })
    .count({ users: '*' })
    .groupBy('application_id')) as { application_id: number; bytes: number | string; users: number | string }[];
}

/** As `byteLengthSql` in db/knex.ts (not imported: knex.ts imports the migrations). */
const bytes = (db: Knex, column: string) => (db.client.config.client === 'pg' ? `octet_length(${column})` : `length(cast(${column} as blob))`);
