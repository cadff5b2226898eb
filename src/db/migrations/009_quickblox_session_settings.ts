import type { Knex } from 'knex';

/** A day: QuickBlox sessions slide by two hours of idleness, and no use keeps one alive past this. */
const sessionLifetimeS = 86400;

/**
 * Two settings of each application's QuickBlox sessions:
 * - `session_lifetime_s`: the absolute lifetime of a session, which sliding use cannot extend;
 * - `app_session_access`: what an application session (no user signed in) may do: `guest` holds it
 *   to the application's guest role, `read-all` is QuickBlox's own behaviour (reads the whole
 *   application, always signs users up).
 * Sessions already open get the absolute lifetime counted from their creation.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('applications', (t) => {
    t.integer('session_lifetime_s').notNullable().defaultTo(sessionLifetimeS);
    t.string('app_session_access', 16).notNullable().defaultTo('guest');
  });
  await db('tokens')
    .where({ kind: 'session' })
    .whereNull('expires_at')
    .update({ expires_at: db.raw('created_at + ?', [sessionLifetimeS * 1000]) });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('applications', (t) => {
    t.dropColumn('session_lifetime_s');
    t.dropColumn('app_session_access');
  });
}
