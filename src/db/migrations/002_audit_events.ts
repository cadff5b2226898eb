import type { Knex } from 'knex';

/** Security events (failed sign-ins, throttling, revocations) kept for operators to review. */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('audit_events', (t) => {
    t.increments('id').primary();
    t.bigInteger('at').notNullable();
    t.string('type', 64).notNullable();
    t.integer('organization_id').nullable();
    t.integer('application_id').nullable();
    /** Who the event is about: a username, a client id, an admin; never a secret. */
    t.string('subject', 256).nullable();
    t.string('ip', 64).nullable();
    t.text('detail').nullable();
    t.index(['type', 'at']);
    t.index(['subject', 'at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('audit_events');
}
