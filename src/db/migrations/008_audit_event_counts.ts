import type { Knex } from 'knex';

/**
 * Repeated security events are counted in one row instead of a row each (issue 11): `bucket` names
 * the event, whose account it is about and its time window, unique, so the next one adds to `count`
 * and moves `last_at`. Rows written one per event (no bucket) keep count 1.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('audit_events', (t) => {
    t.integer('count').notNullable().defaultTo(1);
    t.bigInteger('last_at').nullable();
    t.string('bucket', 255).nullable().unique();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('audit_events', (t) => {
    t.dropUnique(['bucket']);
    t.dropColumn('bucket');
    t.dropColumn('last_at');
    t.dropColumn('count');
  });
}
