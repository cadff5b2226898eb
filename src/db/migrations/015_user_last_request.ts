import type { Knex } from 'knex';

/**
 * When an application user last made a request with any of their tokens (QuickBlox's
 * `last_request_at`). Written behind with the tokens' last-used times (TokenStore.flush), never
 * once per request; null until the user's first request after this migration.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('app_users', (t) => {
    t.bigInteger('last_request_at').nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('app_users', (t) => {
    t.dropColumn('last_request_at');
  });
}
