import type { Knex } from 'knex';

/**
 * What each application stores in entities, kept as running totals so a quota is checked with one
 * conditional update instead of a count over the collection. Entities write their row here in the
 * same transaction as the entity (see repositories/entities.ts); existing entities are counted now.
 * Sizes are the bytes of `data` plus those of `name`, as the repository measures them.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('application_storage', (t) => {
    t.integer('application_id').primary().references('applications.id').onDelete('CASCADE');
    t.bigInteger('bytes').notNullable().defaultTo(0);
    t.bigInteger('entities').notNullable().defaultTo(0);
  });
  const totals = await db('entities')
    .select('application_id')
    .sum({ bytes: db.raw(`${bytes(db, 'data')} + coalesce(${bytes(db, 'name')}, 0)`) })
    .count({ entities: '*' })
    .groupBy('application_id');
  for (const row of totals as { application_id: number; bytes: number | string; entities: number | string }[]) {
    await db('application_storage').insert({ application_id: row.application_id, bytes: Number(row.bytes), entities: Number(row.entities) });
  }
}

/** As `byteLengthOf` in db/knex.ts (not imported: knex.ts imports the migrations). */
const bytes = (db: Knex, column: string) => (db.client.config.client === 'pg' ? `octet_length(${column})` : `length(cast(${column} as blob))`);

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('application_storage');
}
