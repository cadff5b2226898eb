import type { Knex } from 'knex';

/**
 * The (application, timestamp, nonce) of every signed `POST /session.json` still inside the
 * one-hour timestamp window: QuickBlox accepts each once, so a captured request cannot be
 * replayed. Rows older than the window are purged, since the timestamp check refuses them anyway.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('quickblox_nonces', (t) => {
    t.increments('id').primary();
    t.integer('application_id').notNullable().references('applications.id').onDelete('CASCADE');
    /** The request's `timestamp`, Unix seconds. */
    t.bigInteger('timestamp').notNullable();
    /** The request's `nonce`, as the decimal text of the integer (any size a client sends). */
    t.string('nonce', 32).notNullable();
    t.unique(['application_id', 'timestamp', 'nonce']);
    t.index(['timestamp']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('quickblox_nonces');
}
