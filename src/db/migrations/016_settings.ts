import type { Knex } from 'knex';

/**
 * Settings the server keeps about its own database, one row per name. The first is
 * `server_key_checks`: the check values of the server keys that may have sealed a secret stored here
 * (db/server-key.ts), so that a start under another key is refused instead of answering 500 later.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('settings', (t) => {
    t.text('name').primary();
    t.text('value').notNullable();
    /** Milliseconds since the epoch, as every time in the schema. */
    t.bigInteger('modified_at').notNullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('settings');
}
